//! The relay end to end: real sockets on loopback ports the OS chose, samod peers as clients.

mod support;

mod relay {
    mod access;
    mod api;
    mod attribution;
    mod bad_input;
    mod budgets;
    mod crash;
    mod disk_full;
    mod floods;
    mod hardening;
    mod http;
    mod keys;
    mod limits;
    mod metrics;
    mod postgres;
    mod presence;
    mod sync;
}
