//! `Sequential`: a heterogeneous list of boxed layers applied in order, PyTorch's
//! `nn.Sequential` (children named `0`, `1`, ...).

use crate::module::{Forward, Layer, Module, ParamCollector, Visitor, VisitorMut};
use crate::tensor::Tensor;

/// Layers applied one after the other; each may be a different type.
///
/// # Shapes
/// Whatever the layers accept and return, in turn.
///
/// # Examples
/// ```
/// use minitrainer_core::build::{Build, Init};
/// use minitrainer_core::module::{Forward, Module};
/// use minitrainer_core::nn::{Linear, LinearConfig, ReLU, Sequential};
/// use minitrainer_core::tensor::Tensor;
/// let mut init = Init::seeded(0);
/// let net = Sequential::new()
///     .push(Linear::build(&LinearConfig::new(4, 8), &mut init))
///     .push(ReLU::new())
///     .push(Linear::build(&LinearConfig::new(8, 2), &mut init));
/// let names: Vec<String> = net.named_parameters().into_iter().map(|(n, _)| n).collect();
/// assert_eq!(names, ["0.weight", "0.bias", "2.weight", "2.bias"]);
/// assert_eq!(net.call(Tensor::zeros(&[3, 4])).shape(), &[3, 2]);
/// ```
#[derive(Default)]
pub struct Sequential {
    layers: Vec<Box<dyn Layer>>,
}

impl Sequential {
    /// An empty sequence (the identity).
    pub fn new() -> Self {
        Self::default()
    }

    /// A sequence of already boxed layers.
    pub fn from_layers(layers: Vec<Box<dyn Layer>>) -> Self {
        Sequential { layers }
    }

    /// Appends `layer`.
    pub fn push(mut self, layer: impl Layer + 'static) -> Self {
        self.layers.push(Box::new(layer));
        self
    }

    /// Appends an already boxed layer.
    pub fn push_boxed(mut self, layer: Box<dyn Layer>) -> Self {
        self.layers.push(layer);
        self
    }

    /// Number of layers.
    pub fn len(&self) -> usize {
        self.layers.len()
    }

    /// Whether there are no layers.
    pub fn is_empty(&self) -> bool {
        self.layers.is_empty()
    }

    /// The layer at `index`.
    pub fn get(&self, index: usize) -> Option<&dyn Layer> {
        self.layers.get(index).map(|layer| &**layer)
    }

    /// The layers, in order.
    pub fn iter(&self) -> impl Iterator<Item = &dyn Layer> {
        self.layers.iter().map(|layer| &**layer)
    }
}

#[diagnostic::do_not_recommend]
impl Module for Sequential {
    fn visit<'a>(&'a self, visitor: &mut dyn Visitor<'a>) {
        crate::module::visit_indexed(self.layers.iter(), visitor);
    }

    fn visit_mut(&mut self, visitor: &mut dyn VisitorMut) {
        crate::module::visit_indexed_mut(self.layers.iter_mut(), visitor);
    }

    fn collect_params<'a>(&'a self, out: &mut ParamCollector<'a>) {
        crate::module::collect_indexed(self.layers.iter(), out);
    }

    fn type_name(&self) -> &'static str {
        "Sequential"
    }
}

crate::__module_field!(Sequential);

impl Forward for Sequential {
    type Output = Tensor;

    fn forward(&self, input: Tensor) -> Tensor {
        self.layers.iter().fold(input, |x, layer| layer.call(x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{Build, Init};
    use crate::nn::{Linear, LinearConfig, ReLU};

    #[test]
    fn names_children_by_index_and_prints_like_pytorch() {
        let net = Sequential::new()
            .push(Linear::build(
                &LinearConfig::new(2, 3),
                &mut Init::seeded(0),
            ))
            .push(ReLU::new());
        assert_eq!(
            net.repr(),
            "Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=true)\n  (1): ReLU()\n)"
        );
        assert_eq!(net.children().len(), 2);
        assert_eq!(net.len(), 2);
    }

    #[test]
    fn forward_applies_layers_in_order() -> crate::Result<()> {
        let net = Sequential::new()
            .push(ReLU::new())
            .push(crate::nn::Tanh::new());
        let x = Tensor::from_vec(vec![-1.0, 1.0], &[2])?;
        assert_eq!(net.forward(x.clone()).to_vec(), x.relu().tanh().to_vec());
        assert_eq!(Sequential::new().forward(x.clone()).to_vec(), x.to_vec());
        Ok(())
    }
}
