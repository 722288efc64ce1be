//! Summarizes a run's conditions into Ready, Reconciling and Stalled with kstatus semantics.
