//! Compiles every `gazetteers/*.tsv` file into the binary, in sorted order, so that a
//! new data file needs no code change.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // Read when the script runs, not when it was compiled: a target folder shared by
    // two checkouts keeps the compiled script of the first.
    let manifest_dir =
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest_dir).join("gazetteers");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the gazetteers/ folder")
        .map(|entry| {
            entry
                .expect("a readable folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".tsv"))
        .collect();
    names.sort();
    let mut code = String::from("&[\n");
    for name in &names {
        println!("cargo:rerun-if-changed={}", dir.join(name).display());
        writeln!(
            code,
            "    (\"gazetteers/{name}\", include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/gazetteers/{name}\"))),"
        )
        .expect("writing to a String");
    }
    code.push(']');
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("builtin_gazetteers.rs");
    std::fs::write(out, code).expect("writing the generated list");
}
