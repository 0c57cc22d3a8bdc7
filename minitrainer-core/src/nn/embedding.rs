//! `Embedding`: a lookup table of learned vectors, PyTorch's `nn.Embedding`.

use super::leaf_module;
use crate::build::{Build, Init, initializers};
use crate::config::{CheckError, check_tensor_size};
use crate::module::{Forward, Param};
use crate::tensor::Tensor;
use minitrainer_macros::Config;

/// A table of `num_embeddings` vectors of width `embedding_dim`; row `i` is token `i`'s vector.
///
/// # Shapes
/// - input: indices of any shape `[*]`, as a tensor of whole numbers (PyTorch's LongTensor)
/// - output `[*, embedding_dim]`
pub struct Embedding {
    /// `[num_embeddings, embedding_dim]`, initialised from `N(0, 1)`.
    pub weight: Param,
    // Sizes are read off `weight` (which is public and may be replaced), never stored twice.
    training: bool,
}

impl Embedding {
    /// A table with PyTorch's default initialisation, drawn from `rng`.
    ///
    /// # Panics
    /// When `num_embeddings × embedding_dim` elements can't be allocated.
    #[deprecated(
        since = "0.2.0",
        note = "build from the config: `Embedding::build(&EmbeddingConfig::new(n, d), &mut init)`"
    )]
    pub fn new<R: rand::Rng + ?Sized>(
        num_embeddings: usize,
        embedding_dim: usize,
        rng: &mut R,
    ) -> Self {
        let config = EmbeddingConfig::new(num_embeddings, embedding_dim);
        Embedding::build(&config, &mut Init::seeded(rng.next_u64()))
    }

    /// Number of rows.
    pub fn num_embeddings(&self) -> usize {
        self.weight.shape()[0]
    }

    /// Width of each vector.
    pub fn embedding_dim(&self) -> usize {
        self.weight.shape()[1]
    }

    fn describe(&self) -> String {
        format!("{}, {}", self.num_embeddings(), self.embedding_dim())
    }
}

leaf_module!(Embedding {
    params: [weight],
    buffers: []
});

impl Forward for Embedding {
    type Output = Tensor;

    /// # Panics
    /// When an index is negative, not a whole number, or `>= num_embeddings`: the message
    /// names the layer (and its path inside a model's `call`) and the index.
    fn forward(&self, input: Tensor) -> Tensor {
        let rows = self.num_embeddings();
        let indices: Vec<usize> = input
            .to_vec()
            .into_iter()
            .map(|value| {
                if !(value >= 0.0 && value.fract() == 0.0 && (value as usize) < rows) {
                    crate::module::input_mismatch(
                        self,
                        format_args!("whole-number indices in 0..{rows}"),
                        value,
                    );
                }
                value as usize
            })
            .collect();
        let mut shape = input.shape().to_vec();
        shape.push(self.embedding_dim());
        self.weight.index_select(0, &indices).reshape(&shape)
    }
}

/// Config of [`Embedding`] (`"embedding"`).
#[derive(Config, Clone, Debug, PartialEq)]
#[config(check = table_fits)]
pub struct EmbeddingConfig {
    /// Number of rows (vocabulary size).
    #[config(min = 1)]
    pub num_embeddings: usize,
    /// Width of each row.
    #[config(min = 1)]
    pub embedding_dim: usize,
}

impl EmbeddingConfig {
    /// `num_embeddings` rows of width `embedding_dim` (PyTorch's `nn.Embedding(n, d)`).
    pub fn new(num_embeddings: usize, embedding_dim: usize) -> Self {
        EmbeddingConfig {
            num_embeddings,
            embedding_dim,
        }
    }
}

/// The weight `[num_embeddings, embedding_dim]` can be allocated.
fn table_fits(config: &EmbeddingConfig) -> Result<(), CheckError> {
    check_tensor_size(&[
        ("num_embeddings", config.num_embeddings),
        ("embedding_dim", config.embedding_dim),
    ])
}

#[diagnostic::do_not_recommend]
impl Build for Embedding {
    type Config = EmbeddingConfig;
    fn build(config: &EmbeddingConfig, init: &mut Init) -> Self {
        let shape = [config.num_embeddings, config.embedding_dim];
        Embedding {
            weight: initializers::standard_normal("embedding.weight", &shape, init),
            training: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::module::Module;
    use crate::nn::gradcheck::check_param_grads;

    fn embedding(num_embeddings: usize, embedding_dim: usize, seed: u64) -> Embedding {
        let config = EmbeddingConfig::new(num_embeddings, embedding_dim);
        Embedding::build(&config, &mut Init::seeded(seed))
    }

    #[test]
    fn looks_up_rows_keeping_the_index_shape() -> crate::Result<()> {
        let table = embedding(5, 3, 0);
        let out = table.forward(Tensor::from_vec(vec![4.0, 0.0, 4.0, 1.0], &[2, 2])?);
        assert_eq!(out.shape(), &[2, 2, 3]);
        let weight = table.weight.to_array();
        let row4: Vec<f32> = weight
            .outer_iter()
            .nth(4)
            .map(|r| r.iter().copied().collect::<Vec<f32>>())
            .unwrap_or_default();
        assert_eq!(out.to_vec()[..3], row4[..]);
        assert_eq!(table.repr(), "Embedding(5, 3)");
        Ok(())
    }

    #[test]
    fn init_is_standard_normal() {
        let table = embedding(100, 50, 1);
        let values = table.weight.to_vec();
        let mean = values.iter().sum::<f32>() / values.len() as f32;
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / values.len() as f32;
        assert!(mean.abs() < 0.05, "mean {mean}");
        assert!((var - 1.0).abs() < 0.08, "var {var}");
    }

    #[test]
    #[should_panic(expected = "Embedding(5, 3): expected whole-number indices in 0..5, got 5")]
    fn out_of_range_index_panics_naming_it() {
        let table = embedding(5, 3, 0);
        table.forward(Tensor::scalar(5.0));
    }

    #[test]
    fn gradients_match_finite_differences() -> crate::Result<()> {
        let table = embedding(4, 3, 2);
        let idx = Tensor::from_vec(vec![1.0, 3.0, 1.0], &[3])?;
        check_param_grads(&table, |m| m.forward(idx.clone()));
        Ok(())
    }
}
