/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Run a harness on saved inputs without libFuzzer: every regular file in
 * each directory (or each file) named on the command line. A crash aborts
 * the program, so ctest fails; this lets builds without clang replay the
 * corpus and every input that once crashed a harness. */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int replay_file(const char *path)
{
	struct stat st;
	uint8_t *buf;
	size_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* One byte more, so that an empty file is not a NULL buffer. */
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -1;
	}
	while (n < (size_t)st.st_size) {
		ssize_t k = read(fd, buf + n, (size_t)st.st_size - n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	size_t total = 0;
	int failed = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		struct dirent **list = NULL;
		int n;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			failed = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			failed |= replay_file(argv[i]) < 0;
			total++;
			continue;
		}
		n = scandir(argv[i], &list, NULL, alphasort);
		if (n < 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			failed = 1;
			continue;
		}
		for (int k = 0; k < n; k++) {
			char *path = NULL;

			if (list[k]->d_name[0] != '.' && asprintf(&path, "%s/%s", argv[i], list[k]->d_name) >= 0) {
				if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
					failed |= replay_file(path) < 0;
					total++;
				}
				free(path);
			}
			free(list[k]);
		}
		free(list);
	}
	printf("replayed %zu inputs\n", total);
	return failed || total == 0;
}
