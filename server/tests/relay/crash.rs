//! A `quorum` process killed with SIGKILL loses nothing it acknowledged.
