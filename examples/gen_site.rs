//! Writes a synthetic site of N vendor records for benchmarks and load tests:
//!
//!     cargo run --release --example gen_site -- N DIR [SEED]
//!
//! See `scimfacts::synthetic` for what the records hold.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(count), Some(dir)) = (
        args.first().and_then(|n| n.parse::<usize>().ok()),
        args.get(1),
    ) else {
        eprintln!("usage: gen_site N DIR [SEED]");
        std::process::exit(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(42);
    if let Err(err) = scimfacts::synthetic::generate(count, std::path::Path::new(dir), seed) {
        eprintln!("error: {err}");
        std::process::exit(2);
    }
}
