/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Precompiled policies on disk (cache.h): the build they belong to, the
 * directory, and reading and writing an entry with the trust checks; the
 * format itself is cache.c's. */
#include "cache.h"
#include "cache_int.h"
#include "cleanup.h"
#include "io.h"
#include "rootrule.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The GNU build ID note of the running executable, as hex. */
static int find_build_id(struct dl_phdr_info *info, size_t size, void *data)
{
	char *hex = data;

	for (size_t i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		/* The loader gives the load bias as a number: a cast is the
		 * only way to a pointer. */
		const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr); // NOLINT(performance-no-int-to-ptr)
		size_t left = ph->p_memsz;

		if (ph->p_type != PT_NOTE)
			continue;
		while (left >= sizeof(ElfW(Nhdr))) {
			const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)(const void *)p;
			size_t name_sz = (nh->n_namesz + 3u) & ~3u, desc_sz = (nh->n_descsz + 3u) & ~3u;
			size_t total = sizeof(*nh) + name_sz + desc_sz;

			if (total > left)
				break;
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
			    memcmp(p + sizeof(*nh), "GNU", 4) == 0 && nh->n_descsz > 0 && nh->n_descsz <= 64) {
				const unsigned char *id = (const unsigned char *)p + sizeof(*nh) + name_sz;

				for (size_t k = 0; k < nh->n_descsz; k++) {
					hex[2 * k] = "0123456789abcdef"[id[k] >> 4];
					hex[2 * k + 1] = "0123456789abcdef"[id[k] & 15];
				}
				hex[2 * nh->n_descsz] = '\0';
				return 1;
			}
			p += total;
			left -= total;
		}
	}
	return 1; /* only the first object: the executable */
}

const char *cache_build(void)
{
	static char text[512];
	static bool done;
	char id[129] = "";
	const struct scmp_version *v;

	if (done)
		return text[0] ? text : NULL;
	done = true;
	dl_iterate_phdr(find_build_id, id);
	v = seccomp_version();
	if (!id[0] || !v)
		return NULL;
	snprintf(text, sizeof(text), "sysfence %s build-id %s\nlibseccomp %u.%u.%u\narch %#x\n", SYSFENCE_VERSION, id,
	    v->major, v->minor, v->micro, (unsigned)seccomp_arch_native());
	return text;
}

const char *cache_dir(void)
{
	const char *env = getenv("SYSFENCE_CACHE_DIR");

	if (env)
		return *env ? env : NULL;
	return SYSFENCE_CACHE_DIR;
}

/* read() until n bytes or the end. Returns the count, or -1. */
static ssize_t read_full(int fd, char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t k = read_retry(fd, buf + got, n - got);

		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

int cache_load(const char *path, struct sf_cache_entry **ret, const char **ret_why)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL, *dir = NULL;
	char prefix[CACHE_PREFIX_LEN];
	struct stat st, dst;
	long head_len;

	/* O_NOFOLLOW: the entry itself is never a symlink, so checking the
	 * directory holding the name is checking the one holding the file. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		*ret_why = errno == ENOENT ? "none stored (sysfence --precompile stores one)"
					   : "cannot open the precompiled policy";
		return -errno;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 || st.st_size > CACHE_MAX_SIZE) {
		*ret_why = "not a regular file of a plausible size";
		return -EINVAL;
	}
	if (!root_only(&st)) {
		*ret_why = "not owned by root, or writable by group or others";
		return -EPERM;
	}
	dir = path_dir(path);
	if (!dir)
		return *ret_why = "out of memory", -ENOMEM;
	if (stat(dir, &dst) < 0 || !root_only(&dst)) {
		*ret_why = "its directory is not owned by root, or writable by group or others";
		return -EPERM;
	}
	/* The prefix and head only (the data part stays in the file). */
	head_len = read_full(fd, prefix, CACHE_PREFIX_LEN) == (ssize_t)CACHE_PREFIX_LEN
	    ? cache_decode_prefix(prefix, CACHE_PREFIX_LEN)
	    : -EBADMSG;
	if (head_len >= 0 && (uint64_t)head_len <= (uint64_t)st.st_size - CACHE_PREFIX_LEN) {
		buf = malloc(head_len ? (size_t)head_len : 1);
		if (!buf)
			return *ret_why = "out of memory", -ENOMEM;
		if (read_full(fd, buf, (size_t)head_len) != head_len ||
		    cache_decode_head(buf, (size_t)head_len, NULL,
			(uint64_t)st.st_size - CACHE_PREFIX_LEN - (uint64_t)head_len, ret) < 0)
			head_len = -EBADMSG;
	} else
		head_len = -EBADMSG;
	if (head_len < 0) {
		*ret_why = "the precompiled policy is damaged or from another version";
		return -EBADMSG;
	}
	(*ret)->fd = TAKE_FD(fd);
	return 0;
}

int cache_store(const char *dir, const char *path, const char *buf, size_t len, struct sf_diag *d)
{
	_cleanup_free_ char *tmp = NULL;
	_cleanup_close_ int fd = -1;
	struct stat st;
	int r;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return diag_errno(d, "cannot create \"%s\"", dir);
	if (lstat(dir, &st) < 0)
		return diag_errno(d, "cannot check \"%s\"", dir);
	if (!S_ISDIR(st.st_mode) || !root_only(&st))
		return diag_msg(d, -EPERM,
		    "refusing to write into \"%s\": not a directory owned by root and writable only by it", dir);
	if (asprintf(&tmp, "%s/.tmp-XXXXXX", dir) < 0)
		return -ENOMEM;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return diag_errno(d, "cannot write into \"%s\"", dir);
	r = write_all(fd, buf, len);
	if (r == 0 && (fchmod(fd, 0644) < 0 || fsync(fd) < 0 || rename(tmp, path) < 0))
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		return diag_fail(d, r, "cannot write \"%s\"", path);
	}
	return 0;
}
