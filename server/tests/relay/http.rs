//! Health, metrics and the app's static files.
