/* Helpers shared by the uareport tests. */
#ifndef UAREPORT_TESTUTIL_H
#define UAREPORT_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * A fresh directory under $TMPDIR, else /dev/shm (files are fsynced: on
 * tmpfs that costs nothing), else /tmp. The caller frees the string.
 */
static inline char *test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	if (!base && !access("/dev/shm", W_OK))
		base = "/dev/shm";
	char *d = malloc(4096);

	snprintf(d, 4096, "%s/uareport-test-XXXXXX", base ? base : "/tmp");
	if (!mkdtemp(d)) {
		perror("mkdtemp");
		exit(1);
	}
	return d;
}

static inline void test_rmtree(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", dir);
}

/* Environment value the Makefile sets; the test cannot run without it. */
static inline const char *test_env(const char *name)
{
	const char *v = getenv(name);

	if (!v) {
		fprintf(stderr, "%s is not set (run the tests through make check)\n", name);
		exit(1);
	}
	return v;
}

#endif
