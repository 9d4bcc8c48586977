//! The `actorgraph` command: a thin layer over the library (see src/cli/).
#![forbid(unsafe_code)]

mod cli;

/// jemalloc: a batch allocates and frees records on several threads for hours, and the
/// system allocator's per-thread arenas fragment under that; jemalloc's do not.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
