//! The NER model runtime (candle): load a Hugging Face token-classification
//! model from a local folder and turn texts into [`Hit`]s. Knows nothing about
//! rules, fusion, policy or servers. The network is touched only by
//! [`fetch`], which only `ampel model fetch` calls.

use std::path::{Path, PathBuf};

use crate::types::Hit;

/// Errors of loading or running a model.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The model folder or a file in it is missing.
    #[error("no model found at {0}")]
    NotFound(PathBuf),
    /// Anything else (placeholder until the runtime lands).
    #[error("model error: {0}")]
    Other(String),
}

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

/// What a loaded model reports about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelInfo {
    /// Folder name or hub repo.
    pub name: String,
    /// Hub revision or a content hash of the weights.
    pub revision: String,
    /// The model's own BIO labels (id2label order).
    pub labels: Vec<String>,
    /// Device in words, e.g. `cpu`.
    pub device: String,
}

/// A loaded token-classification model.
#[derive(Debug)]
pub struct NerModel {
    info: ModelInfo,
}

impl NerModel {
    /// Load from a local folder holding `config.json`, `tokenizer.json` and
    /// `model.safetensors`.
    pub fn load(dir: &Path, _device: DeviceChoice) -> Result<Self, ModelError> {
        Err(ModelError::NotFound(dir.to_path_buf()))
    }

    /// Describe the model.
    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// Predict spans for several texts in as few forward passes as possible.
    pub fn predict(&self, texts: &[&str]) -> Result<Vec<Vec<Hit>>, ModelError> {
        Ok(texts.iter().map(|_| Vec::new()).collect())
    }
}

impl std::str::FromStr for DeviceChoice {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auto" => Ok(DeviceChoice::Auto),
            "cpu" => Ok(DeviceChoice::Cpu),
            _ => Err(ModelError::Other(format!("unknown device {s:?}"))),
        }
    }
}

/// Resolve a model spec to a local folder (stub).
pub fn resolve(spec: &str) -> Result<PathBuf, ModelError> {
    Ok(PathBuf::from(spec))
}

/// Download a model (stub).
pub fn fetch(repo: &str, _revision: Option<&str>) -> Result<PathBuf, ModelError> {
    Err(ModelError::Other(format!("fetch not implemented: {repo}")))
}
