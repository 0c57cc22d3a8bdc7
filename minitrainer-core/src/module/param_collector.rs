//! `ParamCollector`: the fast walk behind [`Module::named_parameter_refs`] (and so
//! [`Module::named_parameters`]), which builds a [`NamedParameters`] without a dynamic call
//! per event.
//!
//! [`Module::collect_params`] and [`ModuleField::collect_field_params`] mirror `visit` and
//! `visit_field`, but report to this one concrete type, so the built-in layers and
//! `#[derive(Module)]` structs compile their walk to straight calls: per layer of a
//! `Sequential`, one dynamic call (into the boxed layer) instead of five. A module that does
//! not override them (a hand-written `Module` impl) is walked through its `visit`, which
//! reports the same names.

use super::named_parameters::Entry;
use super::param_name::INLINE;
use super::{FieldName, Module, ModuleField, NamedParameters, Param, Visitor};

/// Bytes copied per name on the fast path: a copy of fixed size (a few vector moves, no
/// `memcpy` call) whose tail beyond the name is cut off again.
const CHUNK: usize = 32;

/// `INLINE` zero bytes.
const PADDING: &str = match std::str::from_utf8(&[0; INLINE]) {
    Ok(padding) => padding,
    Err(_) => panic!("zero bytes are UTF-8"),
};

/// Collects every parameter with its dotted path, as [`Module::collect_params`] reports them.
/// Not public API: the type generated code names.
///
/// The current module's path, with its trailing dot, is `path[..len]`; the rest of `path` is
/// scratch, at least [`CHUNK`] bytes. A parameter's name is assembled in place after the path
/// and copied out whole, as one chunk when it fits.
#[doc(hidden)]
pub struct ParamCollector<'a> {
    path: Vec<u8>,
    len: usize,
    names: Vec<u8>,
    entries: Vec<Entry<'a>>,
}

impl<'a> ParamCollector<'a> {
    pub(crate) fn new() -> Self {
        // Room for 512 parameters (16 bytes of name each) before either buffer grows: growing
        // by doubling from small cost W5 (400 parameters) 6% more instructions.
        ParamCollector {
            path: vec![0; 2 * CHUNK],
            len: 0,
            names: Vec::with_capacity(8192),
            entries: Vec::with_capacity(512),
        }
    }

    /// Writes `text` at `path[at..]`, keeping [`CHUNK`] bytes of scratch after it; returns
    /// where it ends.
    #[inline(always)]
    fn write(&mut self, at: usize, text: &str) -> usize {
        let end = at + text.len();
        if self.path.len() < end + CHUNK {
            self.path.resize(end + CHUNK, 0);
        }
        if let Some(dst) = self.path.get_mut(at..) {
            copy_short(dst, text.as_bytes());
        }
        end
    }

    /// Entering child module `name`.
    #[inline(always)]
    pub(crate) fn enter(&mut self, name: &str) {
        let end = self.write(self.len, name);
        if let Some(dot) = self.path.get_mut(end) {
            *dot = b'.';
        }
        self.len = end + 1;
    }

    /// Leaving child module `name` (the name it was entered with): cuts `name.` off the path.
    #[inline]
    pub(crate) fn exit(&mut self, name: &str) {
        self.len = self.len.saturating_sub(name.len() + 1);
    }

    /// Parameter `leaf` of the current module.
    #[inline(always)]
    pub(crate) fn param(&mut self, leaf: &str, param: &'a Param) {
        let end = self.write(self.len, leaf);
        let start = self.names.len();
        match self.path.first_chunk::<CHUNK>() {
            Some(chunk) if end <= CHUNK => {
                self.names.extend_from_slice(chunk);
                self.names.truncate(start + end);
            }
            _ => self
                .names
                .extend_from_slice(self.path.get(..end).unwrap_or_default()),
        }
        self.entries.push(Entry {
            end: self.names.len(),
            param,
        });
    }

    /// The collection: the names checked as UTF-8 once, all together.
    pub(crate) fn finish(self) -> NamedParameters<'a> {
        // Every name is a concatenation of whole `str`s, so this never fails; if it did
        // (enter/exit events paired wrongly by a hand-written module) names would read as "".
        let mut names = String::from_utf8(self.names).unwrap_or_default();
        // Padding after the last name, so every name starts a whole chunk of `ParamName`.
        names.push_str(PADDING);
        NamedParameters::from_parts(names, self.entries)
    }
}

/// Copies `src` to the front of `dst` (which is long enough): names are a few bytes, which
/// two overlapping fixed-size moves copy in a fraction of a `memcpy` call.
#[inline(always)]
fn copy_short(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    match n {
        0 => {}
        // Bytes 0, n/2 and n-1 cover 1 to 3 bytes (a loop would become a `memcpy` call).
        1..4 => {
            for at in [0, n / 2, n - 1] {
                if let (Some(dst), Some(&src)) = (dst.get_mut(at), src.get(at)) {
                    *dst = src;
                }
            }
        }
        4..=8 => {
            copy_at::<4>(dst, src, 0);
            copy_at::<4>(dst, src, n - 4);
        }
        9..=16 => {
            copy_at::<8>(dst, src, 0);
            copy_at::<8>(dst, src, n - 8);
        }
        _ => {
            if let Some(dst) = dst.get_mut(..n) {
                dst.copy_from_slice(src);
            }
        }
    }
}

/// `dst[at..at + N] = src[at..at + N]`, a copy of fixed size.
#[inline(always)]
fn copy_at<const N: usize>(dst: &mut [u8], src: &[u8], at: usize) {
    let dst = dst.get_mut(at..).and_then(<[u8]>::first_chunk_mut::<N>);
    let src = src.get(at..).and_then(<[u8]>::first_chunk::<N>);
    if let (Some(dst), Some(src)) = (dst, src) {
        *dst = *src;
    }
}

/// Walks child module `module` named `name` into `out`: enter, its parameters, exit. What
/// every module's [`ModuleField::collect_field_params`] does (as [`super::visit_child`] for
/// `visit_field`).
#[doc(hidden)]
#[inline]
pub fn collect_child<'a, M: Module + ?Sized>(
    module: &'a M,
    name: &str,
    out: &mut ParamCollector<'a>,
) {
    out.enter(name);
    module.collect_params(out);
    out.exit(name);
}

/// The fallback for modules that do not override [`Module::collect_params`]: their `visit`,
/// its events fed to `out`.
pub(crate) fn collect_by_visit<'a>(module: &'a dyn Module, out: &mut ParamCollector<'a>) {
    module.visit(&mut Collect(out));
}

/// The fallback for fields that do not override [`ModuleField::collect_field_params`].
pub(crate) fn collect_field_by_visit<'a, F: ModuleField + ?Sized>(
    field: &'a F,
    name: &str,
    out: &mut ParamCollector<'a>,
) {
    field.visit_field(FieldName::new(name), &mut Collect(out));
}

/// Visitor events fed to a [`ParamCollector`].
struct Collect<'o, 'a>(&'o mut ParamCollector<'a>);

impl<'a> Visitor<'a> for Collect<'_, 'a> {
    fn enter_module(&mut self, name: FieldName<'_>, _: &'a dyn Module) {
        self.0.enter(name.name);
    }
    fn exit_module(&mut self, name: FieldName<'_>, _: &'a dyn Module) {
        self.0.exit(name.name);
    }
    fn param(&mut self, name: FieldName<'_>, param: &'a Param) {
        self.0.param(name.name, param);
    }
}
