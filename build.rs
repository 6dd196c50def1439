//! Compiles `proto/ampel/v1/ampel.proto` without a `protoc` binary: protox (a
//! pure-Rust protobuf compiler) builds the file descriptor set, tonic-prost-build
//! generates the messages, client and server from it, and the encoded set is
//! written to `OUT_DIR/ampel_descriptor.bin` for gRPC server reflection.

use protox::prost::Message;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto = "proto/ampel/v1/ampel.proto";
    println!("cargo:rerun-if-changed={proto}");
    let fds = protox::compile([proto], ["proto"])?;
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(out_dir.join("ampel_descriptor.bin"), fds.encode_to_vec())?;
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .compile_fds(fds)?;
    Ok(())
}
