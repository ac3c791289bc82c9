//! Sorting with one sort routine for the whole app. Each `sort_by` with its own comparator is
//! its own copy of the sort in the download (about 2 KB each, a dozen of them); here every
//! caller maps its items to one key type, so the sort itself is compiled once.

/// What items are ordered by: two numbers, then text (compared bytewise). Made by one of the
/// named constructors, which say what the order is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key(i64, i64, String);

impl Key {
    /// By one number (a time, say).
    pub fn number(n: i64) -> Self {
        Key(n, 0, String::new())
    }

    /// By a number, then by another.
    pub fn numbers(first: i64, then: i64) -> Self {
        Key(first, then, String::new())
    }

    /// By text.
    pub fn text(text: String) -> Self {
        Key(0, 0, text)
    }

    /// By a number, then by text.
    pub fn number_then_text(n: i64, text: String) -> Self {
        Key(n, 0, text)
    }

    /// By a number, then another, then text.
    pub fn numbers_then_text(first: i64, then: i64, text: String) -> Self {
        Key(first, then, text)
    }
}

/// Sorts `items` by `key`, keeping the order of items with equal keys (the sort is stable).
pub fn sort_by_key<T>(items: &mut Vec<T>, key: impl Fn(&T) -> Key) {
    let mut keyed: Vec<(Key, usize)> = items.iter().map(&key).zip(0..).collect();
    keyed.sort_unstable();
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(keyed.into_iter().filter_map(|(_, i)| slots[i].take()));
}

/// Text that sorts by its parts in turn: `joined(&[name, id])` orders by name, then by id.
pub fn joined(parts: &[&str]) -> String {
    parts.join("\u{0}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_by_numbers_then_text_and_keeps_equal_items_in_order() {
        let mut items = vec![(2, "b", 'x'), (1, "z", 'y'), (2, "a", 'z'), (1, "z", 'w')];
        sort_by_key(&mut items, |(n, s, _)| {
            Key::number_then_text(*n, s.to_string())
        });
        assert_eq!(
            items,
            vec![(1, "z", 'y'), (1, "z", 'w'), (2, "a", 'z'), (2, "b", 'x')]
        );
        let mut empty: Vec<u8> = vec![];
        sort_by_key(&mut empty, |_| Key::number(0));
        assert!(empty.is_empty());
    }

    #[test]
    fn joined_text_orders_by_its_first_part_first() {
        assert!(joined(&["Ann", "PZ"]) < joined(&["Anna", "PA"]));
        assert!(joined(&["Ann", "PA"]) < joined(&["Ann", "PZ"]));
    }
}
