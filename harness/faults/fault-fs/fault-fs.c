/*
 * fault-fs: a pass-through FUSE filesystem that simulates power loss.
 *
 * Written data stays in this process's memory (per path, as an ordered list of pending
 * writes and truncations) until the file is fsynced; directory operations pass straight
 * through to the backing directory. A power cut ("lose-unsynced") drops everything pending.
 * In dir-fsync mode, create/rename/unlink are journalled per parent directory and rolled back
 * by a power cut unless that directory was fsynced since. Every fsync is logged (path, time,
 * bytes made durable) so that callers can tell what the last durable point was.
 * Control: write commands to, or read JSON status from, <mount>/.fault-fs-control
 * (see README.md next to this file).
 *
 * Usage: fault-fs [fuse options] [--owner-pid=<pid>] <backing-dir> <mountpoint>
 */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE
#include <fuse.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CONTROL "/.fault-fs-control"
#define STASH ".fault-fs-stash"
#define FSYNC_LOG_CAP 1024

extern char **environ;

enum { OP_WRITE, OP_TRUNC };

struct op {
	struct op *next;
	int kind;
	off_t off;          /* write offset, or new size for OP_TRUNC */
	size_t len, cap;    /* bytes held in data (appends to the same op are coalesced) */
	size_t last_len;    /* length of the last write(2) coalesced into this op */
	char *data;
};

/* One entry of the dir-fsync journal: how to undo a namespace change not yet made durable. */
enum { NS_CREATE, NS_MKDIR, NS_UNLINK, NS_RMDIR, NS_RENAME };

struct nsop {
	struct nsop *prev, *next;
	int kind;
	char *path;         /* the name created/removed, or the rename's destination */
	char *from;         /* NS_RENAME: its source */
	char *parent;       /* the directory whose fsync makes this change durable */
	char *stash;        /* the displaced/unlinked inode, kept under STASH (backing-relative) */
	bool victim_dir;    /* NS_RENAME over an (empty) directory: recreate it on undo */
	mode_t mode;        /* NS_RMDIR / victim_dir: the directory's mode */
	uid_t uid;
	gid_t gid;
};

/* One successful fsync: which file, when its data was applied (ms since the epoch), how much. */
struct fsync_rec {
	char *path;
	int64_t at_ms;
	uint64_t bytes;
	int64_t last_write_ms;  /* the latest write(2) this fsync made durable; -1: none */
	uint64_t losses;        /* power cuts before this fsync */
	bool dir;
	bool lied;              /* fsync-lies: reported success, made nothing durable */
};

struct pfile {
	struct pfile *next;
	char *path;
	off_t size;         /* size as seen through the mount */
	int64_t last_write_ms;
	size_t bytes, nops;
	struct op *head, *tail;
};

struct handle {
	int fd;             /* backing fd, or -1 for the control file */
	int flags;          /* the caller's open flags */
	bool writable;
	char *snap;         /* control file: status snapshot taken at open */
	size_t snap_len;
};

static struct {
	int bfd;
	char *backing, *mnt;
	int owner_pid;
	pthread_mutex_t mu;
	struct pfile *files;
	uint64_t epoch;             /* bumped by every lose-unsynced */
	long delay_ms;
	bool fsync_error;
	bool fsync_lies;
	long long enospc_left;      /* -1: off */
	char *torn_path;
	long long torn_bytes;       /* -1: half of the last write */
	uint64_t writes, written_bytes, fsyncs, fsync_errors, enospc_errors, losses, lost_bytes,
		torn_kept_bytes, sync_alls;
	bool dir_fsync;
	struct nsop *ns_head, *ns_tail;
	uint64_t ns_seq, ns_committed, ns_rolled_back;
	struct fsync_rec fsync_log[FSYNC_LOG_CAP];
	uint64_t fsync_log_total;
} g = { .bfd = -1, .mu = PTHREAD_MUTEX_INITIALIZER, .enospc_left = -1, .torn_bytes = -1 };

#define LOCK() pthread_mutex_lock(&g.mu)
#define UNLOCK() pthread_mutex_unlock(&g.mu)
#define H(fi) ((struct handle *)(uintptr_t)(fi)->fh)

static const char *rel(const char *path) { return path[1] ? path + 1 : "."; }
static bool is_control(const char *path) { return strcmp(path, CONTROL) == 0; }
/* The stash of the dir-fsync journal lives in the backing root and is invisible through the mount. */
static bool is_stash(const char *path)
{
	size_t n = strlen(STASH);
	return path[0] == '/' && strncmp(path + 1, STASH, n) == 0 && (path[n + 1] == '\0' || path[n + 1] == '/');
}
static bool is_reserved(const char *path) { return is_control(path) || is_stash(path); }

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---------- pending state ---------- */

static struct pfile *find_pf(const char *path)
{
	for (struct pfile *p = g.files; p; p = p->next)
		if (strcmp(p->path, path) == 0) return p;
	return NULL;
}

static struct pfile *get_pf(const char *path, int fd)
{
	struct pfile *p = find_pf(path);
	if (p) return p;
	struct stat st;
	if ((fd >= 0 ? fstat(fd, &st) : fstatat(g.bfd, rel(path), &st, AT_SYMLINK_NOFOLLOW)) != 0)
		return NULL;
	if (!S_ISREG(st.st_mode)) { errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL; return NULL; }
	p = calloc(1, sizeof *p);
	if (!p || !(p->path = strdup(path))) { free(p); errno = ENOMEM; return NULL; }
	p->size = st.st_size;
	p->next = g.files;
	g.files = p;
	return p;
}

static void free_ops(struct op *o)
{
	while (o) { struct op *n = o->next; free(o->data); free(o); o = n; }
}

static void remove_pf(struct pfile *p)
{
	for (struct pfile **pp = &g.files; *pp; pp = &(*pp)->next)
		if (*pp == p) { *pp = p->next; break; }
	free_ops(p->head);
	free(p->path);
	free(p);
}

static void append_op(struct pfile *p, struct op *o)
{
	if (p->tail) p->tail->next = o; else p->head = o;
	p->tail = o;
	p->nops++;
}

static int add_write(struct pfile *p, off_t off, const char *buf, size_t len)
{
	struct op *t = p->tail;
	if (t && t->kind == OP_WRITE && t->off + (off_t)t->len == off) {
		/* Coalescing appends keeps reads and fsync O(1) per op for append-only files (AOF). */
		if (t->len + len > t->cap) {
			size_t cap = t->cap * 2 > t->len + len ? t->cap * 2 : t->len + len;
			char *d = realloc(t->data, cap);
			if (!d) return -ENOMEM;
			t->data = d;
			t->cap = cap;
		}
		memcpy(t->data + t->len, buf, len);
		t->len += len;
		t->last_len = len;
	} else {
		struct op *o = calloc(1, sizeof *o);
		if (!o || !(o->data = malloc(len))) { free(o); return -ENOMEM; }
		memcpy(o->data, buf, len);
		o->kind = OP_WRITE;
		o->off = off;
		o->len = o->cap = o->last_len = len;
		append_op(p, o);
	}
	p->bytes += len;
	p->last_write_ms = now_ms();
	if (off + (off_t)len > p->size) p->size = off + (off_t)len;
	return 0;
}

static int add_trunc(struct pfile *p, off_t size)
{
	struct op *o = calloc(1, sizeof *o);
	if (!o) return -ENOMEM;
	o->kind = OP_TRUNC;
	o->off = size;
	append_op(p, o);
	p->size = size;
	return 0;
}

static int pwrite_all(int fd, const char *buf, size_t len, off_t off)
{
	while (len > 0) {
		ssize_t n = pwrite(fd, buf, len, off);
		if (n < 0) { if (errno == EINTR) continue; return -errno; }
		buf += n; len -= (size_t)n; off += n;
	}
	return 0;
}

/* Applies pending ops in order, consuming each one that reached the backing file. */
static int apply_ops(struct pfile *p, int fd)
{
	while (p->head) {
		struct op *o = p->head;
		int rc = o->kind == OP_WRITE ? pwrite_all(fd, o->data, o->len, o->off)
		                             : (ftruncate(fd, o->off) ? -errno : 0);
		if (rc) return rc;
		p->head = o->next;
		if (!p->head) p->tail = NULL;
		if (o->kind == OP_WRITE) p->bytes -= o->len;
		p->nops--;
		free(o->data);
		free(o);
	}
	return 0;
}

static int open_backing_w(const char *path)
{
	return openat(g.bfd, rel(path), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
}

static void rename_states(const char *from, const char *to)
{
	size_t fl = strlen(from);
	struct pfile *p = find_pf(to);
	if (p) remove_pf(p);
	for (p = g.files; p; p = p->next) {
		if (strncmp(p->path, from, fl) != 0 || (p->path[fl] != '\0' && p->path[fl] != '/')) continue;
		char *np;
		if (asprintf(&np, "%s%s", to, p->path + fl) < 0) continue;
		free(p->path);
		p->path = np;
	}
}

/* ---------- fsync log ---------- */

static void log_fsync(const char *path, int64_t at_ms, uint64_t bytes, int64_t last_write_ms, bool dir)
{
	struct fsync_rec *r = &g.fsync_log[g.fsync_log_total % FSYNC_LOG_CAP];
	free(r->path);
	r->path = strdup(path);
	r->at_ms = at_ms;
	r->bytes = bytes;
	r->last_write_ms = last_write_ms;
	r->losses = g.losses;
	r->dir = dir;
	r->lied = g.fsync_lies;
	g.fsync_log_total++;
}

/* ---------- dir-fsync journal ---------- */

static char *parent_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
}

static void free_nsop(struct nsop *o)
{
	free(o->path);
	free(o->from);
	free(o->parent);
	free(o->stash);
	free(o);
}

static void unlink_nsop(struct nsop *o)
{
	if (o->prev) o->prev->next = o->next; else g.ns_head = o->next;
	if (o->next) o->next->prev = o->prev; else g.ns_tail = o->prev;
}

static struct nsop *new_nsop(int kind, const char *path)
{
	struct nsop *o = calloc(1, sizeof *o);
	if (!o) return NULL;
	o->kind = kind;
	o->path = strdup(path);
	o->parent = parent_of(path);
	if (!o->path || !o->parent) { free_nsop(o); return NULL; }
	return o;
}

static void journal(struct nsop *o)
{
	if (!o) return; /* out of memory: the change simply stays durable */
	o->prev = g.ns_tail;
	if (g.ns_tail) g.ns_tail->next = o; else g.ns_head = o;
	g.ns_tail = o;
}

/* Keeps the inode at `path` reachable under the stash (a hard link), so an undo can put it back. */
static char *stash_link(const char *path)
{
	if (mkdirat(g.bfd, STASH, 0700) && errno != EEXIST) return NULL;
	char *name;
	if (asprintf(&name, STASH "/%llu", (unsigned long long)++g.ns_seq) < 0) return NULL;
	if (linkat(g.bfd, rel(path), g.bfd, name, 0)) { free(name); return NULL; }
	return name;
}

static void drop_stash(struct nsop *o)
{
	if (o->stash) unlinkat(g.bfd, o->stash, 0);
}

/* fsync of a directory: the changes whose names live in it are durable now. */
static void commit_dir(const char *dir)
{
	for (struct nsop *o = g.ns_head, *next; o; o = next) {
		next = o->next;
		if (strcmp(o->parent, dir) != 0) continue;
		drop_stash(o);
		unlink_nsop(o);
		free_nsop(o);
		g.ns_committed++;
	}
}

static void commit_all(void)
{
	while (g.ns_head) {
		struct nsop *o = g.ns_head;
		drop_stash(o);
		unlink_nsop(o);
		free_nsop(o);
		g.ns_committed++;
	}
}

/* Removes a name and, for a directory, everything under it (its entry was never durable). */
static void remove_tree(const char *relpath)
{
	if (unlinkat(g.bfd, relpath, 0) == 0 || (errno != EISDIR && errno != EPERM)) return;
	int fd = openat(g.bfd, relpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd >= 0) {
		DIR *d = fdopendir(fd);
		if (d) {
			for (struct dirent *de; (de = readdir(d));) {
				if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
				char *child;
				if (asprintf(&child, "%s/%s", relpath, de->d_name) < 0) continue;
				remove_tree(child);
				free(child);
			}
			closedir(d);
		} else {
			close(fd);
		}
	}
	unlinkat(g.bfd, relpath, AT_REMOVEDIR);
}

/* Puts a stashed inode back at `path` (or recreates a directory), as if the change never happened. */
static void restore(struct nsop *o, const char *path)
{
	if (o->stash) {
		renameat(g.bfd, o->stash, g.bfd, rel(path));
	} else if (o->victim_dir || o->kind == NS_RMDIR) {
		if (mkdirat(g.bfd, rel(path), o->mode & 07777) == 0) fchownat(g.bfd, rel(path), o->uid, o->gid, AT_SYMLINK_NOFOLLOW);
	}
}

/* Power cut in dir-fsync mode: undoes, newest first, every namespace change not made durable. */
static void roll_back_names(void)
{
	while (g.ns_tail) {
		struct nsop *o = g.ns_tail;
		switch (o->kind) {
		case NS_CREATE:
		case NS_MKDIR:
			remove_tree(rel(o->path));
			break;
		case NS_UNLINK:
		case NS_RMDIR:
			restore(o, o->path);
			break;
		case NS_RENAME:
			renameat(g.bfd, rel(o->path), g.bfd, rel(o->from));
			restore(o, o->path);
			break;
		}
		unlink_nsop(o);
		free_nsop(o);
		g.ns_rolled_back++;
	}
}

static bool exists(const char *path, struct stat *st)
{
	return fstatat(g.bfd, rel(path), st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Power cut: drops all pending state; an armed torn-tail persists a prefix first. */
static void lose_unsynced(char ***inval, size_t *ninval)
{
	size_t n = 0;
	for (struct pfile *p = g.files; p; p = p->next) n++;
	char **grown = realloc(*inval, (*ninval + n + 1) * sizeof(char *));
	if (grown) *inval = grown;
	while (g.files) {
		struct pfile *p = g.files;
		size_t total = p->bytes, kept = 0;
		if (g.torn_path && strcmp(g.torn_path, p->path) == 0) {
			struct op *w = NULL;
			for (struct op *o = p->head; o; o = o->next)
				if (o->kind == OP_WRITE) w = o;
			if (w) {
				free_ops(w->next);
				w->next = NULL;
				p->tail = w;
				size_t keep = g.torn_bytes < 0 ? w->last_len / 2
				            : ((size_t)g.torn_bytes < w->last_len ? (size_t)g.torn_bytes : w->last_len);
				size_t newlen = w->len - w->last_len + keep;
				p->bytes -= w->len - newlen;
				w->len = newlen;
				size_t before = p->bytes;
				int fd = open_backing_w(p->path);
				if (fd >= 0) {
					apply_ops(p, fd);
					fdatasync(fd);
					close(fd);
				}
				kept = before - p->bytes;
			}
		}
		g.lost_bytes += total - kept;
		g.torn_kept_bytes += kept;
		if (grown) (*inval)[(*ninval)++] = strdup(p->path);
		remove_pf(p);
	}
	free(g.torn_path);
	g.torn_path = NULL;
	g.torn_bytes = -1;
	roll_back_names();
	g.epoch++;
	g.losses++;
}

static int sync_all(void)
{
	int rc = 0;
	for (struct pfile *p = g.files, *next; p; p = next) {
		next = p->next;
		int fd = open_backing_w(p->path);
		int r = fd < 0 ? -errno : apply_ops(p, fd);
		if (fd >= 0) { if (!r && fsync(fd)) r = -errno; close(fd); }
		if (r) rc = r;
		if (!p->head) remove_pf(p);
	}
	syncfs(g.bfd);
	commit_all();
	g.sync_alls++;
	return rc;
}

/* ---------- control file ---------- */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
		else if (c < 0x20) fprintf(f, "\\u%04x", c);
		else fputc(c, f);
	}
	fputc('"', f);
}

static char *status_json(size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f) return NULL;
	size_t nfiles = 0, bytes = 0, ops = 0;
	for (struct pfile *p = g.files; p; p = p->next) { nfiles++; bytes += p->bytes; ops += p->nops; }
	fprintf(f, "{\"pendingFiles\":%zu,\"pendingBytes\":%zu,\"pendingOps\":%zu,"
	        "\"writes\":%llu,\"writtenBytes\":%llu,\"fsyncs\":%llu,\"fsyncErrors\":%llu,"
	        "\"enospcErrors\":%llu,\"losses\":%llu,\"lostBytes\":%llu,\"tornKeptBytes\":%llu,"
	        "\"syncAlls\":%llu,\"faults\":{\"fsyncDelayMs\":%ld,\"fsyncError\":%s,\"fsyncLies\":%s,\"enospcRemaining\":",
	        nfiles, bytes, ops, (unsigned long long)g.writes, (unsigned long long)g.written_bytes,
	        (unsigned long long)g.fsyncs, (unsigned long long)g.fsync_errors,
	        (unsigned long long)g.enospc_errors, (unsigned long long)g.losses,
	        (unsigned long long)g.lost_bytes, (unsigned long long)g.torn_kept_bytes,
	        (unsigned long long)g.sync_alls, g.delay_ms, g.fsync_error ? "true" : "false", g.fsync_lies ? "true" : "false");
	if (g.enospc_left < 0) fputs("null", f); else fprintf(f, "%lld", g.enospc_left);
	fputs(",\"tornTail\":", f);
	if (!g.torn_path) fputs("null", f);
	else {
		fputs("{\"path\":", f);
		json_str(f, g.torn_path);
		if (g.torn_bytes < 0) fputs(",\"bytes\":null}", f); else fprintf(f, ",\"bytes\":%lld}", g.torn_bytes);
	}
	fprintf(f, "},\"dirFsyncMode\":%s,\"uncommittedNames\":", g.dir_fsync ? "true" : "false");
	size_t nns = 0;
	for (struct nsop *o = g.ns_head; o; o = o->next) nns++;
	fprintf(f, "%zu,\"committedNames\":%llu,\"rolledBackNames\":%llu,\"fsyncLogTotal\":%llu,\"fsyncLog\":[",
	        nns, (unsigned long long)g.ns_committed, (unsigned long long)g.ns_rolled_back,
	        (unsigned long long)g.fsync_log_total);
	uint64_t first = g.fsync_log_total > FSYNC_LOG_CAP ? g.fsync_log_total - FSYNC_LOG_CAP : 0;
	for (uint64_t i = first; i < g.fsync_log_total; i++) {
		struct fsync_rec *r = &g.fsync_log[i % FSYNC_LOG_CAP];
		fputs(i > first ? ",{\"path\":" : "{\"path\":", f);
		json_str(f, r->path ? r->path : "");
		fprintf(f, ",\"atMs\":%lld,\"bytes\":%llu,\"lastWriteMs\":", (long long)r->at_ms, (unsigned long long)r->bytes);
		if (r->last_write_ms < 0) fputs("null", f); else fprintf(f, "%lld", (long long)r->last_write_ms);
		fprintf(f, ",\"losses\":%llu,\"dir\":%s,\"lied\":%s}", (unsigned long long)r->losses,
		        r->dir ? "true" : "false", r->lied ? "true" : "false");
	}
	fputs("],\"files\":[", f);
	for (struct pfile *p = g.files; p; p = p->next) {
		fputs("{\"path\":", f);
		json_str(f, p->path);
		fprintf(f, ",\"size\":%lld,\"pendingBytes\":%zu,\"pendingOps\":%zu}%s",
		        (long long)p->size, p->bytes, p->nops, p->next ? "," : "");
	}
	fputs("]}\n", f);
	fclose(f);
	return buf;
}

static bool parse_num(const char *s, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < 0) return false;
	*out = v;
	return true;
}

/* One command line; returns 0 or -errno. Caller holds the lock. */
static int run_command(char *line, char ***inval, size_t *ninval)
{
	char *argv[4] = { 0 };
	int argc = 0;
	for (char *save = NULL, *tok = strtok_r(line, " \t\r", &save); tok; tok = strtok_r(NULL, " \t\r", &save)) {
		if (argc == 4) return -EINVAL;
		argv[argc++] = tok;
	}
	if (argc == 0) return 0;
	const char *cmd = argv[0];
	long long v;
	if (!strcmp(cmd, "lose-unsynced") && argc == 1) {
		lose_unsynced(inval, ninval);
	} else if (!strcmp(cmd, "sync-all") && argc == 1) {
		return sync_all();
	} else if (!strcmp(cmd, "fsync-delay") && argc == 2 && parse_num(argv[1], &v)) {
		g.delay_ms = (long)v;
	} else if (!strcmp(cmd, "dir-fsync") && argc == 2 && (!strcmp(argv[1], "on") || !strcmp(argv[1], "off"))) {
		g.dir_fsync = !strcmp(argv[1], "on");
		if (!g.dir_fsync) commit_all();
	} else if (!strcmp(cmd, "fsync-error") && argc == 1) {
		g.fsync_error = true;
	} else if (!strcmp(cmd, "fsync-lies") && argc == 1) {
		g.fsync_lies = true;
	} else if (!strcmp(cmd, "enospc-after") && argc == 2 && parse_num(argv[1], &v)) {
		g.enospc_left = v;
	} else if (!strcmp(cmd, "clear-faults") && argc == 1) {
		g.delay_ms = 0;
		g.fsync_error = false;
		g.fsync_lies = false;
		g.enospc_left = -1;
		free(g.torn_path);
		g.torn_path = NULL;
		g.torn_bytes = -1;
	} else if (!strcmp(cmd, "torn-tail") && (argc == 2 || argc == 3)) {
		if (argc == 3 && !parse_num(argv[2], &v)) return -EINVAL;
		char *p;
		if (asprintf(&p, "%s%s", argv[1][0] == '/' ? "" : "/", argv[1]) < 0) return -ENOMEM;
		free(g.torn_path);
		g.torn_path = p;
		g.torn_bytes = argc == 3 ? v : -1;
	} else {
		return -EINVAL;
	}
	return 0;
}

static int control_write(const char *buf, size_t size)
{
	char *text = strndup(buf, size);
	if (!text) return -ENOMEM;
	char **inval = NULL;
	size_t ninval = 0;
	int rc = 0;
	LOCK();
	for (char *save = NULL, *line = strtok_r(text, "\n", &save); line && !rc; line = strtok_r(NULL, "\n", &save))
		rc = run_command(line, &inval, &ninval);
	UNLOCK();
	free(text);
	/* Sizes just shrank behind the kernel's back; drop its cached attributes (after unlocking). */
	struct fuse *f = fuse_get_context()->fuse;
	for (size_t i = 0; i < ninval; i++) {
		if (inval[i]) fuse_invalidate_path(f, inval[i]);
		free(inval[i]);
	}
	free(inval);
	return rc ? rc : (int)size;
}

/* ---------- FUSE operations ---------- */

static void control_stat(struct stat *st)
{
	memset(st, 0, sizeof *st);
	st->st_mode = S_IFREG | 0666;
	st->st_nlink = 1;
	st->st_ino = (ino_t)-2;
	st->st_mtime = st->st_ctime = st->st_atime = time(NULL);
}

static int ff_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	if (is_control(path)) { control_stat(st); return 0; }
	if (is_stash(path)) return -ENOENT;
	LOCK(); /* with the stat, so an fsync cannot land between the backing size and the pending one */
	if (fstatat(g.bfd, rel(path), st, AT_SYMLINK_NOFOLLOW)) { int e = errno; UNLOCK(); return -e; }
	struct pfile *p = find_pf(path);
	if (p) {
		st->st_size = p->size;
		st->st_blocks = (p->size + 511) / 512;
	}
	UNLOCK();
	return 0;
}

static void own(const char *path)
{
	/* The daemon runs as root: hand new entries to the caller, as a kernel filesystem would. */
	if (geteuid() == 0)
		fchownat(g.bfd, rel(path), fuse_get_context()->uid, fuse_get_context()->gid, AT_SYMLINK_NOFOLLOW);
}

static int ok(int rc) { return rc ? -errno : 0; }

/* A name just made: owned by the caller, and in dir-fsync mode journalled until its directory is fsynced. */
static int made(int rc, const char *path, int kind)
{
	if (rc) return -errno;
	own(path);
	if (g.dir_fsync) journal(new_nsop(kind, path));
	return 0;
}

static int ff_readlink(const char *path, char *buf, size_t size)
{
	ssize_t n = readlinkat(g.bfd, rel(path), buf, size - 1);
	if (n < 0) return -errno;
	buf[n] = '\0';
	return 0;
}

static int ff_mknod(const char *path, mode_t mode, dev_t rdev)
{
	if (is_reserved(path)) return -EEXIST;
	LOCK();
	int rc = made(mknodat(g.bfd, rel(path), mode, rdev), path, NS_CREATE);
	UNLOCK();
	return rc;
}

static int ff_mkdir(const char *path, mode_t mode)
{
	if (is_reserved(path)) return -EEXIST;
	LOCK();
	int rc = made(mkdirat(g.bfd, rel(path), mode), path, NS_MKDIR);
	UNLOCK();
	return rc;
}

static int ff_symlink(const char *target, const char *path)
{
	if (is_reserved(path)) return -EEXIST;
	LOCK();
	int rc = made(symlinkat(target, g.bfd, rel(path)), path, NS_CREATE);
	UNLOCK();
	return rc;
}

static int ff_rmdir(const char *path)
{
	if (is_reserved(path)) return -EPERM;
	LOCK();
	struct stat st;
	bool had = g.dir_fsync && exists(path, &st);
	int rc = ok(unlinkat(g.bfd, rel(path), AT_REMOVEDIR));
	if (!rc && had) {
		struct nsop *o = new_nsop(NS_RMDIR, path);
		if (o) { o->mode = st.st_mode; o->uid = st.st_uid; o->gid = st.st_gid; }
		journal(o);
	}
	UNLOCK();
	return rc;
}

static int ff_unlink(const char *path)
{
	if (is_reserved(path)) return -EPERM;
	LOCK();
	char *stash = g.dir_fsync ? stash_link(path) : NULL;
	int rc = ok(unlinkat(g.bfd, rel(path), 0));
	if (rc) {
		if (stash) { unlinkat(g.bfd, stash, 0); free(stash); }
	} else {
		struct pfile *p = find_pf(path);
		if (p) remove_pf(p);
		if (stash) {
			struct nsop *o = new_nsop(NS_UNLINK, path);
			if (o) o->stash = stash; else { unlinkat(g.bfd, stash, 0); free(stash); }
			journal(o);
		}
	}
	UNLOCK();
	return rc;
}

static int ff_rename(const char *from, const char *to, unsigned int flags)
{
	if (is_reserved(from) || is_reserved(to)) return -EPERM;
	if (flags & ~RENAME_NOREPLACE) return -EINVAL;
	LOCK();
	struct stat fst, tst;
	bool journalled = g.dir_fsync && exists(from, &fst);
	bool victim = journalled && exists(to, &tst);
	if (victim && fst.st_dev == tst.st_dev && fst.st_ino == tst.st_ino) journalled = victim = false; /* a no-op */
	/* The replaced inode is kept in the stash, so that an undone rename brings the old file back. */
	char *stash = victim && !S_ISDIR(tst.st_mode) ? stash_link(to) : NULL;
	int rc = ok(renameat2(g.bfd, rel(from), g.bfd, rel(to), flags));
	if (rc) {
		if (stash) { unlinkat(g.bfd, stash, 0); free(stash); }
	} else {
		rename_states(from, to);
		if (journalled) {
			struct nsop *o = new_nsop(NS_RENAME, to);
			if (o && !(o->from = strdup(from))) { free_nsop(o); o = NULL; }
			if (o) {
				o->stash = stash;
				o->victim_dir = victim && S_ISDIR(tst.st_mode);
				if (o->victim_dir) { o->mode = tst.st_mode; o->uid = tst.st_uid; o->gid = tst.st_gid; }
			} else if (stash) {
				unlinkat(g.bfd, stash, 0);
				free(stash);
			}
			journal(o);
		}
	}
	UNLOCK();
	return rc;
}

/* Hard links pass through, but pending data stays with the path it was written through. */
static int ff_link(const char *from, const char *to)
{
	if (is_reserved(from) || is_reserved(to)) return -EPERM;
	LOCK();
	int rc = ok(linkat(g.bfd, rel(from), g.bfd, rel(to), 0));
	if (!rc && g.dir_fsync) journal(new_nsop(NS_CREATE, to));
	UNLOCK();
	return rc;
}

static int ff_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	(void)fi;
	return is_control(path) ? -EPERM : ok(fchmodat(g.bfd, rel(path), mode, 0));
}

static int ff_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
	(void)fi;
	return is_control(path) ? -EPERM : ok(fchownat(g.bfd, rel(path), uid, gid, AT_SYMLINK_NOFOLLOW));
}

static int pending_truncate(const char *path, off_t size, int fd)
{
	LOCK();
	struct pfile *p = find_pf(path);
	int rc = 0;
	if (!p) {
		struct stat st;
		if ((fd >= 0 ? fstat(fd, &st) : fstatat(g.bfd, rel(path), &st, AT_SYMLINK_NOFOLLOW)) != 0) rc = -errno;
		else if (S_ISREG(st.st_mode) && st.st_size == size) { UNLOCK(); return 0; }
		else if (!(p = get_pf(path, fd))) rc = -errno;
	}
	if (!rc) rc = add_trunc(p, size);
	UNLOCK();
	return rc;
}

static int ff_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	if (is_control(path)) return 0;
	return pending_truncate(path, size, fi ? H(fi)->fd : -1);
}

static int ff_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi)
{
	(void)fi;
	return is_control(path) ? 0 : ok(utimensat(g.bfd, rel(path), tv, AT_SYMLINK_NOFOLLOW));
}

static int open_common(const char *path, struct fuse_file_info *fi, bool creat, mode_t mode)
{
	if (is_stash(path)) return -ENOENT;
	struct handle *h = calloc(1, sizeof *h);
	if (!h) return -ENOMEM;
	h->flags = fi->flags;
	fi->direct_io = 1; /* the kernel must never cache data this process may later drop */
	fi->keep_cache = 0;
	if (is_control(path)) {
		if (creat && (fi->flags & O_EXCL)) { free(h); return -EEXIST; }
		h->fd = -1; /* the status snapshot is taken at the first read: a command-only open needs none */
		fi->fh = (uintptr_t)h;
		return 0;
	}
	/* O_APPEND/O_SYNC are emulated and O_TRUNC is pending, so none reach the backing fd. */
	int bflags = (fi->flags & ~(O_ACCMODE | O_TRUNC | O_APPEND | O_DIRECT | O_SYNC | O_DSYNC | O_NOCTTY))
	             | O_CLOEXEC | (creat ? O_CREAT : 0);
	struct stat st;
	LOCK(); /* so that "did it exist before" and the create are one step for the journal */
	bool created = creat && !exists(path, &st);
	int fd = openat(g.bfd, rel(path), bflags | O_RDWR, mode);
	h->writable = fd >= 0;
	if (fd < 0 && (errno == EISDIR || errno == EACCES || errno == EROFS || errno == ETXTBSY || errno == EPERM))
		fd = openat(g.bfd, rel(path), bflags | (fi->flags & O_ACCMODE), mode);
	if (fd < 0) { int e = errno; UNLOCK(); free(h); return -e; }
	h->fd = fd;
	if (creat) own(path);
	if (created && g.dir_fsync) journal(new_nsop(NS_CREATE, path));
	UNLOCK();
	if (fi->flags & O_TRUNC) {
		int rc = pending_truncate(path, 0, fd);
		if (rc) { close(fd); free(h); return rc; }
	}
	fi->fh = (uintptr_t)h;
	return 0;
}

static int ff_open(const char *path, struct fuse_file_info *fi) { return open_common(path, fi, false, 0); }

static int ff_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	return open_common(path, fi, true, mode);
}

static int ff_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct handle *h = H(fi);
	if (h->fd < 0) {
		if (!h->snap) {
			LOCK();
			h->snap = status_json(&h->snap_len);
			UNLOCK();
		}
		if (!h->snap || off >= (off_t)h->snap_len) return 0;
		size_t n = h->snap_len - (size_t)off < size ? h->snap_len - (size_t)off : size;
		memcpy(buf, h->snap + off, n);
		return (int)n;
	}
	LOCK();
	struct pfile *p = find_pf(path);
	size_t n = size;
	if (p) {
		if (off >= p->size) { UNLOCK(); return 0; }
		if ((off_t)n > p->size - off) n = (size_t)(p->size - off);
	}
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(h->fd, buf + got, n - got, off + (off_t)got);
		if (r < 0 && errno == EINTR) continue;
		if (r < 0) { int e = errno; UNLOCK(); return -e; }
		if (r == 0) break;
		got += (size_t)r;
	}
	if (!p) { UNLOCK(); return (int)got; }
	memset(buf + got, 0, n - got); /* beyond the backing file's end, up to the pending size */
	off_t end = off + (off_t)n;
	for (struct op *o = p->head; o; o = o->next) {
		if (o->kind == OP_WRITE) {
			off_t s = o->off > off ? o->off : off;
			off_t e = o->off + (off_t)o->len < end ? o->off + (off_t)o->len : end;
			if (s < e) memcpy(buf + (s - off), o->data + (s - o->off), (size_t)(e - s));
		} else if (o->off < end) {
			off_t s = o->off > off ? o->off : off;
			memset(buf + (s - off), 0, (size_t)(end - s));
		}
	}
	UNLOCK();
	return (int)n;
}

static int ff_write(const char *path, const char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct handle *h = H(fi);
	if (h->fd < 0) return control_write(buf, size);
	if (size == 0) return 0;
	LOCK();
	if (g.enospc_left == 0) { g.enospc_errors++; UNLOCK(); return -ENOSPC; }
	if (g.enospc_left > 0 && (long long)size > g.enospc_left) size = (size_t)g.enospc_left; /* short write */
	struct pfile *p = get_pf(path, h->fd);
	if (!p) { int e = errno; UNLOCK(); return -e; }
	if (h->flags & O_APPEND) off = p->size; /* the kernel's idea of EOF may be stale after a power cut */
	int rc = add_write(p, off, buf, size);
	if (!rc) {
		if (g.enospc_left > 0) g.enospc_left -= (long long)size;
		g.writes++;
		g.written_bytes += size;
		if (h->flags & (O_SYNC | O_DSYNC)) {
			int64_t last = p->last_write_ms;
			size_t before = p->bytes;
			rc = h->writable ? apply_ops(p, h->fd) : -EBADF;
			if (!rc) log_fsync(path, now_ms(), before - p->bytes, last, false);
			if (!p->head) remove_pf(p);
		}
	}
	UNLOCK();
	if (!rc && (h->flags & (O_SYNC | O_DSYNC)) && fdatasync(h->fd)) rc = -errno;
	return rc ? rc : (int)size;
}

static int ff_statfs(const char *path, struct statvfs *st)
{
	(void)path;
	return ok(fstatvfs(g.bfd, st));
}

static int ff_release(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	struct handle *h = H(fi);
	if (h->fd >= 0) close(h->fd);
	free(h->snap);
	free(h);
	return 0;
}

static int ff_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	struct handle *h = H(fi);
	if (h->fd < 0) return 0;
	LOCK();
	if (g.fsync_error) { g.fsync_errors++; UNLOCK(); return -EIO; }
	long delay = g.delay_ms;
	uint64_t epoch = g.epoch;
	UNLOCK();
	if (delay > 0) {
		struct timespec ts = { delay / 1000, (delay % 1000) * 1000000L };
		while (nanosleep(&ts, &ts) && errno == EINTR) {}
	}
	LOCK();
	/* A power cut while this fsync was in flight: its data is gone, so it must not succeed. */
	if (g.epoch != epoch || g.fsync_error) { g.fsync_errors++; UNLOCK(); return -EIO; }
	if (g.fsync_lies) {
		struct pfile *lp = find_pf(path);
		log_fsync(path, now_ms(), lp ? lp->bytes : 0, lp && lp->bytes ? lp->last_write_ms : -1, false);
		g.fsyncs++;
		UNLOCK();
		return 0;
	}
	int fd = h->writable ? h->fd : open_backing_w(path);
	int rc = fd < 0 ? -errno : 0;
	struct pfile *p = find_pf(path);
	int64_t at = now_ms(), last = -1;
	uint64_t bytes = 0;
	if (!rc && p) {
		size_t before = p->bytes;
		if (before > 0) last = p->last_write_ms;
		rc = apply_ops(p, fd);
		bytes = before - p->bytes;
		if (!p->head) remove_pf(p);
	}
	UNLOCK();
	if (!rc && (datasync ? fdatasync(fd) : fsync(fd))) rc = -errno;
	if (fd >= 0 && fd != h->fd) close(fd);
	LOCK();
	if (!rc) {
		g.fsyncs++;
		log_fsync(path, at, bytes, last, false);
	}
	UNLOCK();
	return rc;
}

static int ff_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off,
                      struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	(void)off; (void)fi; (void)flags;
	int fd = openat(g.bfd, rel(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) return -errno;
	DIR *d = fdopendir(fd);
	if (!d) { int e = errno; close(fd); return -e; }
	bool root = strcmp(path, "/") == 0;
	for (struct dirent *de; (de = readdir(d));) {
		if (root && (strcmp(de->d_name, CONTROL + 1) == 0 || strcmp(de->d_name, STASH) == 0)) continue;
		if (filler(buf, de->d_name, NULL, 0, 0)) break;
	}
	closedir(d);
	return 0;
}

static int ff_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)datasync; (void)fi;
	LOCK();
	if (g.fsync_error) { g.fsync_errors++; UNLOCK(); return -EIO; }
	if (g.fsync_lies) { log_fsync(path, now_ms(), 0, -1, true); UNLOCK(); return 0; }
	int fd = openat(g.bfd, rel(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = fd < 0 ? -errno : (fsync(fd) ? -errno : 0);
	if (fd >= 0) close(fd);
	if (!rc) {
		commit_dir(path);
		log_fsync(path, now_ms(), 0, -1, true);
	}
	UNLOCK();
	return rc;
}

static void *ff_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	cfg->use_ino = 1;
	cfg->attr_timeout = 0;
	cfg->entry_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->direct_io = 1;
	cfg->kernel_cache = 0;
	cfg->auto_cache = 0;
	cfg->hard_remove = 0;
	conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;
	return NULL;
}

static const struct fuse_operations ops = {
	.init = ff_init, .getattr = ff_getattr, .readlink = ff_readlink, .mknod = ff_mknod,
	.mkdir = ff_mkdir, .unlink = ff_unlink, .rmdir = ff_rmdir, .symlink = ff_symlink,
	.rename = ff_rename, .link = ff_link, .chmod = ff_chmod, .chown = ff_chown,
	.truncate = ff_truncate, .utimens = ff_utimens, .open = ff_open, .create = ff_create,
	.read = ff_read, .write = ff_write, .statfs = ff_statfs, .release = ff_release,
	.fsync = ff_fsync, .readdir = ff_readdir, .fsyncdir = ff_fsyncdir,
};

/* ---------- startup ---------- */

/* Unmounts (lazily) once the owning test process is gone, so a crashed suite leaves no mount. */
static void *watchdog(void *arg)
{
	(void)arg;
	for (;;) {
		usleep(250 * 1000);
		if (kill(g.owner_pid, 0) == 0 || errno != ESRCH) continue;
		if (geteuid() == 0) {
			umount2(g.mnt, MNT_DETACH);
		} else {
			char *argv[] = { "fusermount3", "-u", "-z", g.mnt, NULL };
			pid_t pid;
			if (posix_spawnp(&pid, "fusermount3", NULL, NULL, argv, environ) == 0) waitpid(pid, NULL, 0);
		}
		/* Logged only after unmounting: the owner held our stderr pipe, so writing may fail. */
		fprintf(stderr, "fault-fs: owner pid %d is gone; unmounted %s\n", g.owner_pid, g.mnt);
		return NULL;
	}
}

static const struct fuse_opt opt_spec[] = {
	{ "--owner-pid=%d", offsetof(__typeof__(g), owner_pid), 0 },
	FUSE_OPT_END
};

static int opt_proc(void *data, const char *arg, int key, struct fuse_args *outargs)
{
	(void)data; (void)outargs;
	if (key != FUSE_OPT_KEY_NONOPT) return 1;
	if (!g.backing) { g.backing = strdup(arg); return 0; }
	if (!g.mnt) g.mnt = realpath(arg, NULL);
	return 1;
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	if (fuse_opt_parse(&args, &g, opt_spec, opt_proc) || !g.backing || !g.mnt) {
		fprintf(stderr, "usage: %s [fuse options] [--owner-pid=<pid>] <backing-dir> <mountpoint>\n", argv[0]);
		return 2;
	}
	umask(0); /* the kernel already applied the caller's umask to the modes it sends */
	g.bfd = open(g.backing, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (g.bfd < 0) { perror(g.backing); return 1; }
	fuse_opt_add_arg(&args, "-odefault_permissions");
	fuse_opt_add_arg(&args, "-osubtype=fault-fs");
	if (g.owner_pid > 0) {
		pthread_t t;
		if (pthread_create(&t, NULL, watchdog, NULL) == 0) pthread_detach(t);
	}
	int rc = fuse_main(args.argc, args.argv, &ops, NULL);
	fuse_opt_free_args(&args);
	return rc;
}
