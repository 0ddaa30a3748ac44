//! The JSON API, driven without a port.
