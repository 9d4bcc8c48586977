//! The command helper every end-to-end test binary shares.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A file under fixtures/.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// The `actorgraph` binary under test.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_actorgraph"))
}

/// Runs the binary with `args`, feeding `stdin` when given.
pub fn run_with_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    child.wait_with_output().unwrap()
}

/// Runs the binary and requires success, showing stderr when it fails.
pub fn run_ok(args: &[&str]) -> Output {
    let output = run_with_stdin(args, None);
    assert!(
        output.status.success(),
        "actorgraph {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// An external program a test needs, such as Graphviz's `dot`. When it is missing the test
/// says so loudly on stderr and skips (returns None), so that `cargo test` passes with only a
/// Rust toolchain; under ACTORGRAPH_REQUIRE_TOOLS=1 (`.ci/run` sets it) a missing program
/// fails the test instead.
pub fn external_tool(name: &str, package: &str) -> Option<Command> {
    let found = Command::new(name)
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if found {
        return Some(Command::new(name));
    }
    let required = std::env::var_os("ACTORGRAPH_REQUIRE_TOOLS").is_some_and(|v| v != "0");
    assert!(
        !required,
        "`{name}` is required (ACTORGRAPH_REQUIRE_TOOLS) but missing: install the Debian package {package}"
    );
    eprintln!("SKIPPED: `{name}` is not installed (Debian package {package}); this test needs it");
    None
}
