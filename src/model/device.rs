//! Which device runs the model: parsing `auto|cpu|cuda|cuda:N|metal` and
//! turning a [`DeviceChoice`] into a candle [`Device`]. GPUs are used only
//! when the matching cargo feature (`cuda`, `metal`) is compiled in.

use std::fmt;
use std::str::FromStr;

use candle_core::Device;

use super::ModelError;

/// Which device to run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeviceChoice {
    /// CUDA or Metal when compiled in and present, else CPU.
    #[default]
    Auto,
    /// The CPU.
    Cpu,
    /// CUDA device N (needs the `cuda` feature).
    Cuda(usize),
    /// Apple Metal (needs the `metal` feature).
    Metal,
}

/// A device string that is not `auto`, `cpu`, `cuda`, `cuda:N` or `metal`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown device {0:?} (expected auto, cpu, cuda, cuda:N or metal)")]
pub struct UnknownDevice(pub String);

impl FromStr for DeviceChoice {
    type Err = UnknownDevice;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let low = s.trim().to_ascii_lowercase();
        match low.as_str() {
            "auto" => Ok(DeviceChoice::Auto),
            "cpu" => Ok(DeviceChoice::Cpu),
            "cuda" | "gpu" => Ok(DeviceChoice::Cuda(0)),
            "metal" | "mps" => Ok(DeviceChoice::Metal),
            _ => low
                .strip_prefix("cuda:")
                .and_then(|n| n.parse().ok())
                .map(DeviceChoice::Cuda)
                .ok_or_else(|| UnknownDevice(s.to_string())),
        }
    }
}

impl fmt::Display for DeviceChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeviceChoice::Auto => f.write_str("auto"),
            DeviceChoice::Cpu => f.write_str("cpu"),
            DeviceChoice::Cuda(n) => write!(f, "cuda:{n}"),
            DeviceChoice::Metal => f.write_str("metal"),
        }
    }
}

/// Open the chosen device; returns it with its description (`cpu`,
/// `cuda:0`, `metal`).
pub(crate) fn open(choice: DeviceChoice) -> Result<(Device, String), ModelError> {
    match choice {
        DeviceChoice::Cpu => Ok((Device::Cpu, "cpu".into())),
        DeviceChoice::Cuda(n) => cuda(n),
        DeviceChoice::Metal => metal(),
        DeviceChoice::Auto => {
            if cfg!(feature = "cuda") && candle_core::utils::cuda_is_available() {
                if let Ok(d) = cuda(0) {
                    return Ok(d);
                }
            }
            if cfg!(feature = "metal") && candle_core::utils::metal_is_available() {
                if let Ok(d) = metal() {
                    return Ok(d);
                }
            }
            Ok((Device::Cpu, "cpu".into()))
        }
    }
}

#[cfg(feature = "cuda")]
fn cuda(n: usize) -> Result<(Device, String), ModelError> {
    Device::new_cuda(n)
        .map(|d| (d, format!("cuda:{n}")))
        .map_err(|e| ModelError::Device(format!("cannot open CUDA device {n}: {e}")))
}

#[cfg(not(feature = "cuda"))]
fn cuda(_n: usize) -> Result<(Device, String), ModelError> {
    Err(ModelError::Device(
        "CUDA requested, but this ampel was built without CUDA support (rebuild with `--features cuda`)"
            .into(),
    ))
}

#[cfg(feature = "metal")]
fn metal() -> Result<(Device, String), ModelError> {
    Device::new_metal(0)
        .map(|d| (d, "metal".to_string()))
        .map_err(|e| ModelError::Device(format!("cannot open the Metal device: {e}")))
}

#[cfg(not(feature = "metal"))]
fn metal() -> Result<(Device, String), ModelError> {
    Err(ModelError::Device(
        "Metal requested, but this ampel was built without Metal support (rebuild with `--features metal`)"
            .into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_device_strings() {
        assert_eq!("auto".parse(), Ok(DeviceChoice::Auto));
        assert_eq!(" CPU ".parse(), Ok(DeviceChoice::Cpu));
        assert_eq!("cuda".parse(), Ok(DeviceChoice::Cuda(0)));
        assert_eq!("cuda:3".parse(), Ok(DeviceChoice::Cuda(3)));
        assert_eq!("metal".parse(), Ok(DeviceChoice::Metal));
        let e = "cuda:x".parse::<DeviceChoice>().unwrap_err();
        assert!(e.to_string().contains("cuda:N"));
        assert!("tpu".parse::<DeviceChoice>().is_err());
        for d in [
            DeviceChoice::Auto,
            DeviceChoice::Cpu,
            DeviceChoice::Cuda(1),
            DeviceChoice::Metal,
        ] {
            assert_eq!(d.to_string().parse(), Ok(d));
        }
    }

    #[test]
    fn cpu_and_auto_always_open() {
        assert_eq!(open(DeviceChoice::Cpu).unwrap().1, "cpu");
        assert!(open(DeviceChoice::Auto).is_ok());
        if !cfg!(feature = "cuda") {
            let e = open(DeviceChoice::Cuda(0)).unwrap_err().to_string();
            assert!(e.contains("--features cuda"), "{e}");
        }
    }
}
