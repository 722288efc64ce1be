//! /healthz and /readyz on --health-addr.
