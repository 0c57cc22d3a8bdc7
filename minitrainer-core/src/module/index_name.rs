//! The names of list items (`layers.7`) without formatting a `String` per item: a walk over
//! 200 layers used to allocate 200 of them. Indices below 1000 come from one static table;
//! larger ones are written into a stack buffer.

/// Digits of `0` … `999`, back to back: `0123456789101112…998999`.
const TABLE: &str = match std::str::from_utf8(&table()) {
    Ok(table) => table,
    Err(_) => panic!("the index table is ASCII digits"),
};

const TABLE_LEN: usize = 10 + 90 * 2 + 900 * 3;

const fn table() -> [u8; TABLE_LEN] {
    let mut out = [0; TABLE_LEN];
    let (mut index, mut at) = (0, 0);
    while index < 1000 {
        let width = if index < 10 {
            1
        } else if index < 100 {
            2
        } else {
            3
        };
        let (mut rest, mut digit) = (index, width);
        while digit > 0 {
            digit -= 1;
            out[at + digit] = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        at += width;
        index += 1;
    }
    out
}

/// `0` … `999` as `&str`s cut from [`TABLE`] once, at compile time: naming an item is one
/// indexed load.
static NAMES: [&str; 1000] = names();

const fn names() -> [&'static str; 1000] {
    let mut out = [""; 1000];
    let (mut index, mut at) = (0, 0);
    while index < 1000 {
        let width = if index < 10 {
            1
        } else if index < 100 {
            2
        } else {
            3
        };
        let (_, rest) = TABLE.split_at(at);
        let (name, _) = rest.split_at(width);
        out[index] = name;
        at += width;
        index += 1;
    }
    out
}

/// `index` in decimal, borrowed from the table below 1000.
#[inline]
fn tabled(index: usize) -> Option<&'static str> {
    NAMES.get(index).copied()
}

/// Calls `f` with `index` in decimal, allocating nothing.
#[inline]
pub(crate) fn with_index_name<R>(index: usize, f: impl FnOnce(&str) -> R) -> R {
    if let Some(name) = tabled(index) {
        return f(name);
    }
    // 20 digits hold `u64::MAX`, the widest `usize`.
    let mut digits = [0; 20];
    let (mut rest, mut start) = (index, digits.len());
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    // Only ASCII digits were written, so this never falls back to "".
    f(std::str::from_utf8(&digits[start..]).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::with_index_name;

    #[test]
    fn index_names_are_the_decimal_digits() {
        let edges = [9, 10, 99, 100, 999, 1000, 1_000_003, usize::MAX];
        for index in (0..1200).chain(edges) {
            with_index_name(index, |name| assert_eq!(name, index.to_string()));
        }
    }
}
