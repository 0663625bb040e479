#ifndef P2PSIP_CPOSIX_SHIM_H
#define P2PSIP_CPOSIX_SHIM_H
// The libc and Linux interfaces Platform uses. Small static inline helpers stand in for what
// Swift cannot reach directly (errno, which is a macro; struct casts for sockaddr).
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <spawn.h>

// open(2) is variadic, which Swift cannot call.
static inline int p2psip_open(const char *path, int flags, mode_t mode) { return open(path, flags, mode); }

static inline int p2psip_is_directory_mode(mode_t mode) { return S_ISDIR(mode); }
static inline int p2psip_is_socket_mode(mode_t mode) { return S_ISSOCK(mode); }

// fcntl(2) is variadic too.
static inline int fcntl_getfl(int fd) { return fcntl(fd, F_GETFL); }
static inline int fcntl_setfl(int fd, int flags) { return fcntl(fd, F_SETFL, flags); }
static inline int fcntl_setfd(int fd, int flags) { return fcntl(fd, F_SETFD, flags); }

static inline int p2psip_errno(void) { return errno; }
static inline void p2psip_set_errno(int value) { errno = value; }

static inline const struct sockaddr *p2psip_sockaddr_in_cast(const struct sockaddr_in *a) {
    return (const struct sockaddr *)a;
}
static inline const struct sockaddr *p2psip_sockaddr_in6_cast(const struct sockaddr_in6 *a) {
    return (const struct sockaddr *)a;
}
static inline const struct sockaddr *p2psip_sockaddr_un_cast(const struct sockaddr_un *a) {
    return (const struct sockaddr *)a;
}
static inline struct sockaddr *p2psip_sockaddr_storage_cast(struct sockaddr_storage *a) {
    return (struct sockaddr *)a;
}
static inline const struct sockaddr_in *p2psip_storage_as_in(const struct sockaddr_storage *a) {
    return (const struct sockaddr_in *)a;
}
static inline const struct sockaddr_in6 *p2psip_storage_as_in6(const struct sockaddr_storage *a) {
    return (const struct sockaddr_in6 *)a;
}

// Blocks SIGINT, SIGTERM and SIGHUP for the process and returns a non-blocking signalfd that
// reports them, so the poll loop sees signals as readable events (no async handler code).
static inline int p2psip_signalfd_for_shutdown_and_reload(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0) return -1;
    return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

// Restores the default disposition of the three signals (for child processes and tests).
static inline int p2psip_unblock_shutdown_and_reload(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    return sigprocmask(SIG_UNBLOCK, &set, NULL);
}

// posix_spawn with only stdin from /dev/null, stdout and stderr appended to `output` (or
// inherited when NULL), the default disposition and an empty mask for the signals the event
// loop blocks (a child must be able to receive SIGTERM), and its own process group (so a
// Ctrl-C at the terminal reaches only the parent, which stops its children itself).
extern char **environ;
static inline int p2psip_spawn(pid_t *pid, const char *path, char *const argv[], const char *output) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    sigset_t empty, defaults;
    int result;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (output) {
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0600);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
    }
    // Nothing else of ours: a parent's pipes and sockets held open by a long-lived child
    // would make whoever waits for the parent's output wait for the child too.
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    posix_spawnattr_init(&attributes);
    sigemptyset(&empty);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGHUP);
    posix_spawnattr_setsigmask(&attributes, &empty);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    result = posix_spawn(pid, path, &actions, &attributes, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    return result;
}

// waitpid(2) without blocking: 0 while running, the pid when it ended (status filled in).
static inline int p2psip_reap(pid_t pid, int *status) { return waitpid(pid, status, WNOHANG); }
static inline int p2psip_exit_status(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

#endif
