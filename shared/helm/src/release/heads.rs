//! Reading every rendered document's head (apiVersion, kind, name, annotations) on all
//! cores: decoding the YAML is most of the work `helm template` does after rendering, and
//! documents are independent. Results keep document order, so the first error reported is
//! the one Helm reports.

use std::num::NonZeroUsize;

use super::Head;

/// Below this many documents a single thread is faster than starting others.
const PARALLEL_FROM: usize = 64;
/// The YAML check recurses as deep as the document nests; the main thread's size.
const STACK_BYTES: usize = 8 << 20;

/// `parse(doc)` of each `(path, doc)`, in order.
pub fn parse_all(
    docs: &[(&String, String)],
    parse: fn(&str) -> Result<Head, String>,
) -> Vec<Result<Head, String>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(8);
    if threads < 2 || docs.len() < PARALLEL_FROM {
        return docs.iter().map(|(_, doc)| parse(doc)).collect();
    }
    let chunk = docs.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = docs
            .chunks(chunk)
            .map(|part| {
                std::thread::Builder::new()
                    .stack_size(STACK_BYTES)
                    .spawn_scoped(scope, move || {
                        part.iter().map(|(_, doc)| parse(doc)).collect::<Vec<_>>()
                    })
            })
            .collect();
        let mut out = Vec::with_capacity(docs.len());
        for (worker, part) in workers.into_iter().zip(docs.chunks(chunk)) {
            // A thread that cannot start, or that panicked, leaves its part to this one.
            match worker.map(|w| w.join()) {
                Ok(Ok(heads)) => out.extend(heads),
                _ => out.extend(part.iter().map(|(_, doc)| parse(doc))),
            }
        }
        out
    })
}
