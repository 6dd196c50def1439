//! The gRPC daemon (`ampel serve`).
