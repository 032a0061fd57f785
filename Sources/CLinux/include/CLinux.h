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
#endif
