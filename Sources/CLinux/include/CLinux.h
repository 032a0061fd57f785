#ifndef BULKHEAD_CLINUX_H
#define BULKHEAD_CLINUX_H
// Linux APIs the Glibc module does not expose cleanly to Swift.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>

// `struct epoll_event` is packed on x86_64, which Swift imports poorly; this flat copy is
// what the wrappers below fill in.
typedef struct {
    uint32_t events;
    uint64_t data;
} bh_epoll_event;

int bh_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data);
int bh_epoll_wait(int epfd, bh_epoll_event *events, int max_events, int timeout_ms);

/// Creates, binds and listens on a non-blocking TCP socket (SO_REUSEADDR set).
/// Returns the fd or -errno (a getaddrinfo failure returns -EADDRNOTAVAIL).
int bh_listen(const char *host, int port, int backlog);
/// The port a bound socket listens on, or -1.
int bh_local_port(int fd);

/// accept4 with SOCK_NONBLOCK|SOCK_CLOEXEC and TCP_NODELAY set; writes the peer as
/// "ip:port" into `peer` and its address bytes (16, IPv4 mapped into IPv6) into `key`.
int bh_accept(int listen_fd, char *peer, int peer_capacity, uint8_t key[16]);

/// Monotonic clock in nanoseconds.
int64_t bh_monotonic_ns(void);
/// Writes the current IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT", 29 bytes) into `out`.
void bh_http_date(char out[29]);
/// send() with MSG_NOSIGNAL; returns bytes sent or -errno.
long bh_send(int fd, const void *bytes, unsigned long count);
/// read(); returns bytes read or -errno.
long bh_recv(int fd, void *bytes, unsigned long capacity);
/// The first byte waiting on the socket (MSG_PEEK), or -errno, or -1000 at end of stream.
int bh_peek_byte(int fd);
int bh_errno(void);
/// Names the calling thread for `top -H`, perf and /proc (truncated to 15 bytes).
void bh_name_thread(const char *name);
#endif
