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

#endif
