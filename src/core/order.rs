//! Sorting with one sort routine for the whole app. Each `sort_by` with its own comparator is
//! its own copy of the sort in the download (about 2 KB each, a dozen of them); here every
//! caller maps its items to one key type, so the sort itself is compiled once.

/// What items are ordered by: two numbers, then text (compared bytewise).
pub type Key = (i64, i64, String);

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
        sort_by_key(&mut items, |(n, s, _)| (*n, 0, s.to_string()));
        assert_eq!(
            items,
            vec![(1, "z", 'y'), (1, "z", 'w'), (2, "a", 'z'), (2, "b", 'x')]
        );
        let mut empty: Vec<u8> = vec![];
        sort_by_key(&mut empty, |_| (0, 0, String::new()));
        assert!(empty.is_empty());
    }

    #[test]
    fn joined_text_orders_by_its_first_part_first() {
        assert!(joined(&["Ann", "PZ"]) < joined(&["Anna", "PA"]));
        assert!(joined(&["Ann", "PA"]) < joined(&["Ann", "PZ"]));
    }
}
