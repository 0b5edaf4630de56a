"""The errno numbers and texts of CMS TCP/IP: z/VM TCP/IP uses the BSD
numbers for the socket errors; REXX Sockets' own errors are 2001 and up
(z/VM TCP/IP Programmer's Reference, REXX Sockets return codes)."""

from __future__ import annotations

#: errno name -> (number, text).
ERRNO = {
    "EINTR": (4, "Interrupted system call"),
    "EBADF": (9, "Bad file number"),
    "EACCES": (13, "Permission denied"),
    "EINVAL": (22, "Invalid argument"),
    "EMFILE": (24, "Too many open files"),
    "EPIPE": (32, "Broken pipe"),
    "EWOULDBLOCK": (35, "Operation would block"),
    "EINPROGRESS": (36, "Operation now in progress"),
    "EALREADY": (37, "Operation already in progress"),
    "ENOTSOCK": (38, "Socket operation on non-socket"),
    "EDESTADDRREQ": (39, "Destination address required"),
    "EMSGSIZE": (40, "Message too long"),
    "EPROTOTYPE": (41, "Protocol wrong type for socket"),
    "ENOPROTOOPT": (42, "Option not supported by protocol"),
    "EPROTONOSUPPORT": (43, "Protocol not supported"),
    "ESOCKTNOSUPPORT": (44, "Socket type not supported"),
    "EOPNOTSUPP": (45, "Operation not supported on socket"),
    "EAFNOSUPPORT": (47, "Address family not supported by protocol family"),
    "EADDRINUSE": (48, "Address already in use"),
    "EADDRNOTAVAIL": (49, "Can't assign requested address"),
    "ENETDOWN": (50, "Network is down"),
    "ENETUNREACH": (51, "Network is unreachable"),
    "ECONNABORTED": (53, "Software caused connection abort"),
    "ECONNRESET": (54, "Connection reset by peer"),
    "ENOBUFS": (55, "No buffer space available"),
    "EISCONN": (56, "Socket is already connected"),
    "ENOTCONN": (57, "Socket is not connected"),
    "ESHUTDOWN": (58, "Can't send after socket shutdown"),
    "ETIMEDOUT": (60, "Connection timed out"),
    "ECONNREFUSED": (61, "Connection refused"),
    "EHOSTDOWN": (64, "Host is down"),
    "EHOSTUNREACH": (65, "No route to host"),
    "EINVALIDRXSOCKETCALL": (2001, "Syntax error in RXSOCKET parameter list"),
    "ESUBTASKINVALID": (2003, "Subtask ID invalid"),
    "ESUBTASKALREADYACTIVE": (2004, "Subtask already active"),
    "ESUBTASKNOTACTIVE": (2005, "Subtask not active"),
    "EMAXSOCKETSREACHED": (2007, "Maximum number of sockets reached"),
    "ESOCKETNOTDEFINED": (2009, "Socket not defined"),
    "EHOSTNOTFOUND": (2016, "Host not found"),
    "EIPADDRNOTFOUND": (2017, "Address not found"),
}


def errno_text(name: str) -> str:
    """The text of an errno name ("Network is unreachable"), the name when unknown."""
    return ERRNO.get(name, (0, name))[1]
