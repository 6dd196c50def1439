//! The benchmark harness (`ampel eval`): reads gold corpora, runs the
//! analyzer, and reports accuracy and speed.
