/* Environment readers: /proc and /sys, relative to a root directory. */
#define _GNU_SOURCE
#include "env.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *open_at(const char *root, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s%s", root, rel);
	return fopen(path, "r");
}

int env_read_line(const char *root, const char *rel, char *buf, size_t len)
{
	FILE *f = open_at(root, rel);
	int ret = -1;

	buf[0] = '\0';
	if (!f)
		return -1;
	if (fgets(buf, (int)len, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		ret = 0;
	}
	fclose(f);
	return ret;
}

static void line_or_unknown(const char *root, const char *rel, char *buf,
			    size_t len)
{
	if (env_read_line(root, rel, buf, len) < 0 || !buf[0])
		snprintf(buf, len, "unknown");
}

/* /proc/cmdline carries NULs nowhere, but may hold a trailing space. */
static void trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

static int has_token(const char *list, const char *tok)
{
	size_t n = strlen(tok);

	for (const char *p = list; (p = strstr(p, tok)); p += n)
		if ((p == list || p[-1] == ' ' || p[-1] == '\t') &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == '\n'))
			return 1;
	return 0;
}

/* "key<tabs>: value" -> value, if the line starts with key. */
static const char *field(const char *line, const char *key)
{
	size_t n = strlen(key);
	const char *p;

	if (strncmp(line, key, n) || (line[n] != '\t' && line[n] != ' ' &&
				      line[n] != ':'))
		return NULL;
	p = strchr(line + n, ':');
	if (!p)
		return NULL;
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static int is_x86(const char *arch)
{
	return !strcmp(arch, "x86_64") ||
	       (arch[0] == 'i' && !strcmp(arch + 2, "86"));
}

static int is_arm(const char *arch)
{
	return !strncmp(arch, "arm", 3) || !strcmp(arch, "aarch64");
}

static void read_cpuinfo(struct env *e, const char *root)
{
	char line[8192], implementer[32] = "", part[32] = "";
	FILE *f = open_at(root, "/proc/cpuinfo");
	int seen_flags = 0;

	snprintf(e->cpu_model, sizeof(e->cpu_model), "unknown");
	e->smap = e->smep = e->pan = UAB_STATE_UNKNOWN;
	snprintf(e->pan_kind, sizeof(e->pan_kind), "%s",
		 uab_pan_kind_words[UAB_PAN_KIND_UNKNOWN]);
	snprintf(e->prot_source, sizeof(e->prot_source), "%s",
		 uab_prot_source_words[UAB_PROT_SOURCE_CPUINFO]);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		const char *v;

		line[strcspn(line, "\n")] = '\0';
		if ((v = field(line, "model name")) &&
		    !strcmp(e->cpu_model, "unknown"))
			snprintf(e->cpu_model, sizeof(e->cpu_model), "%s", v);
		else if ((v = field(line, "CPU implementer")) && !implementer[0])
			snprintf(implementer, sizeof(implementer), "%s", v);
		else if ((v = field(line, "CPU part")) && !part[0])
			snprintf(part, sizeof(part), "%s", v);
		else if (!seen_flags && ((v = field(line, "flags")) ||
					 (v = field(line, "Features")))) {
			seen_flags = 1;
			if (is_x86(e->arch)) {
				e->smap = has_token(v, "smap") ? UAB_STATE_ON
							       : UAB_STATE_OFF;
				e->smep = has_token(v, "smep") ? UAB_STATE_ON
							       : UAB_STATE_OFF;
			} else if (is_arm(e->arch) && has_token(v, "pan")) {
				e->pan = UAB_STATE_ON;
			}
		}
	}
	fclose(f);
	if (!strcmp(e->cpu_model, "unknown") && implementer[0])
		snprintf(e->cpu_model, sizeof(e->cpu_model),
			 "implementer %s part %s", implementer,
			 part[0] ? part : "unknown");
	/*
	 * x86 cpuinfo drops smap/smep when the kernel clears them, so absence
	 * means off. PAN is no ELF hwcap: arm cpuinfo cannot say it is off.
	 */
	if (is_x86(e->arch)) {
		e->pan = UAB_STATE_NA;
		snprintf(e->pan_kind, sizeof(e->pan_kind), "%s",
			 uab_pan_kind_words[UAB_PAN_KIND_NA]);
	} else if (is_arm(e->arch)) {
		e->smap = e->smep = UAB_STATE_NA;
	} else {
		e->smap = e->smep = e->pan = UAB_STATE_NA;
		snprintf(e->pan_kind, sizeof(e->pan_kind), "%s",
			 uab_pan_kind_words[UAB_PAN_KIND_NA]);
	}
}

static void read_vulns(struct env *e, const char *root)
{
	char dir[4096];
	struct dirent **names;
	int n;

	e->nvuln = 0;
	snprintf(dir, sizeof(dir), "%s/sys/devices/system/cpu/vulnerabilities",
		 root);
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return;
	for (int i = 0; i < n; i++) {
		struct env_vuln *v = &e->vuln[e->nvuln];
		char rel[512];

		if (names[i]->d_name[0] != '.' && e->nvuln < ENV_MAX_VULN) {
			snprintf(v->name, sizeof(v->name), "%s",
				 names[i]->d_name);
			snprintf(rel, sizeof(rel),
				 "/sys/devices/system/cpu/vulnerabilities/%s",
				 v->name);
			line_or_unknown(root, rel, v->value, sizeof(v->value));
			e->nvuln++;
		}
		free(names[i]);
	}
	free(names);
}

void env_read(struct env *e, const char *root, const char *arch)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->arch, sizeof(e->arch), "%s", arch);
	line_or_unknown(root, "/proc/sys/kernel/hostname", e->host,
			sizeof(e->host));
	line_or_unknown(root, "/proc/sys/kernel/osrelease", e->kernel,
			sizeof(e->kernel));
	line_or_unknown(root, "/proc/cmdline", e->cmdline, sizeof(e->cmdline));
	trim(e->cmdline);
	line_or_unknown(root, "/proc/sys/kernel/random/boot_id", e->boot_id,
			sizeof(e->boot_id));
	if (env_read_line(root,
			  "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor",
			  e->governor, sizeof(e->governor)) < 0 ||
	    !e->governor[0])
		snprintf(e->governor, sizeof(e->governor), "none");
	read_cpuinfo(e, root);
	read_vulns(e, root);
}

void env_apply_status(struct env *e, const struct uab_status *st)
{
	e->smap = uab_state_of_prot(st->smap);
	e->smep = uab_state_of_prot(st->smep);
	e->pan = uab_state_of_prot(st->pan);
	snprintf(e->pan_kind, sizeof(e->pan_kind), "%s",
		 uab_pan_kind_of_status(st));
	snprintf(e->prot_source, sizeof(e->prot_source), "%s",
		 uab_prot_source_words[UAB_PROT_SOURCE_MODULE]);
	e->module_bufsize = st->buf_size;
	e->inject_ticks = st->inject_ticks;
}
