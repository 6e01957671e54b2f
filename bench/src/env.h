/*
 * Environment of a run, read from files under a root directory ("" for the
 * live system) so tests can point the readers at a fixture tree.
 */
#ifndef UAB_ENV_H
#define UAB_ENV_H

#include <stddef.h>
#include <stdint.h>

#include "../../kmod/uapi/uaccess_bench.h"
#include "uab_schema.h"

#define ENV_MAX_VULN	64

struct env_vuln {
	char name[256];
	char value[256];
};

struct env {
	char host[256];
	char kernel[256];
	char arch[64];
	char cmdline[4096];
	char cpu_model[256];
	char boot_id[64];
	char governor[64];
	enum uab_state smap, smep, pan;
	char pan_kind[16];
	char prot_source[16];	/* "module" or "cpuinfo" */
	uint64_t module_bufsize;	/* 0 without the module */
	uint64_t inject_ticks;		/* module STATUS; 0 without it */
	struct env_vuln vuln[ENV_MAX_VULN];
	int nvuln;
};

/*
 * Read everything below root for a machine of architecture arch (uname -m).
 * Missing files give "unknown"; never fails.
 */
void env_read(struct env *e, const char *root, const char *arch);

/* Protection state from the module's STATUS (replaces the cpuinfo one). */
void env_apply_status(struct env *e, const struct uab_status *st);

/* First line of root/rel without its newline; -1 if unreadable. */
int env_read_line(const char *root, const char *rel, char *buf, size_t len);

#endif
