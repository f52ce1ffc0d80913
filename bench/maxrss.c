/* maxrss: print the process's peak resident set size in KiB, as getrusage
 * reports it. The kernel carries the peak across execve (exec_mmap() folds
 * the old address space's high-water mark into the process's maxrss), so
 * run as the program of a launcher it prints the larger of the launcher's
 * peak before exec and its own (a few hundred KiB: it is static).
 * Part of bench/. */
#include <stdio.h>
#include <sys/resource.h>

int main(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 1;
	printf("%ld\n", ru.ru_maxrss);
	return 0;
}
