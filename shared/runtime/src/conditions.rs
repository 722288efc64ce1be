//! Condition helpers: set and mark keeping lastTransitionTime, lookups, time-insensitive equality.
