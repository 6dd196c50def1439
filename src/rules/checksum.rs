//! Pure checksum validators (stub: to be filled in).
