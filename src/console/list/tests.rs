use super::sort::{ASSISTANT_SORTS, next, reverse_keeping_ties};
use super::*;
use crate::console::msg::Ranked;

#[derive(Debug, Clone, PartialEq)]
struct Item(&'static str);

impl Listed for Item {
    fn haystack(&self) -> String {
        self.0.to_owned()
    }
    fn sort_key(&self, _: SortColumn) -> String {
        self.0.to_lowercase()
    }
}

fn list_of(names: &[&'static str], inline: usize) -> FilteredList<Item> {
    let mut list = FilteredList::new(Order::BestFirst, inline);
    assert!(
        list.set_items(names.iter().map(|n| Item(n)).collect())
            .is_none()
    );
    list
}

fn names(list: &FilteredList<Item>) -> Vec<&'static str> {
    list.shown().map(|i| i.0).collect()
}

#[test]
fn the_selection_stays_in_range_when_the_items_shrink() {
    let mut list = list_of(&["a", "b", "c", "d", "e"], usize::MAX);
    list.move_by(4, 10);
    assert_eq!(list.selected_item(), Some(&Item("e")));
    assert!(list.set_items(vec![Item("x"), Item("y")]).is_none());
    assert_eq!(list.selected(), 1);
    assert_eq!(list.selected_item(), Some(&Item("y")));
    assert!(list.set_items(Vec::new()).is_none());
    assert_eq!((list.selected(), list.offset()), (0, 0));
    assert_eq!(list.selected_item(), None);
}

#[test]
fn a_filter_then_an_order_line_up_the_matches() {
    let mut list = list_of(&["gpt-4o", "nova-2", "gpt-4.1", "eleven"], usize::MAX);
    for c in "gpt".chars() {
        assert!(list.edit_filter(FilterEdit::Push(c)).is_none());
    }
    assert_eq!(list.visible().len(), 2);
    let by_name = next(&ASSISTANT_SORTS, None);
    assert!(list.set_sort(by_name, 10).is_none());
    assert_eq!(names(&list), ["gpt-4.1", "gpt-4o"]);
    assert!(list.edit_filter(FilterEdit::Clear).is_none());
    assert_eq!(names(&list), ["eleven", "gpt-4.1", "gpt-4o", "nova-2"]);
}

#[test]
fn the_sort_keeps_the_selected_item_selected() {
    let mut list = list_of(&["c", "a", "b"], usize::MAX);
    list.select(2);
    assert!(list.set_sort(next(&ASSISTANT_SORTS, None), 10).is_none());
    assert_eq!(list.selected_item(), Some(&Item("b")));
    assert_eq!(list.selected(), 1);
}

#[test]
fn a_stale_ranking_is_ignored_and_the_latest_is_shown() {
    let mut list = list_of(&["alpha", "beta", "gamma", "delta"], 0);
    let first = list.edit_filter(FilterEdit::Push('a')).expect("handed out");
    // Typed on while the first ranks: nothing more is handed out yet.
    assert!(list.edit_filter(FilterEdit::Push('l')).is_none());
    let stale = Ranked {
        generation: first.generation + 7,
        pattern: "a".into(),
        visible: vec![3],
    };
    assert!(matches!(list.apply_ranking(stale), Ranking::Stale));
    assert_eq!(list.ranking(), Some(first.generation));
    // The first answer lands: the rest ("al") is ranked within it.
    let more = match list.apply_ranking(first.run()) {
        Ranking::Applied(more) => more.expect("the filter grew meanwhile"),
        Ranking::Stale => panic!("the awaited ranking was taken for stale"),
    };
    assert!(more.within.is_some());
    assert!(matches!(
        list.apply_ranking(more.run()),
        Ranking::Applied(None)
    ));
    assert_eq!(names(&list), ["alpha"]);
    assert_eq!(list.ranking(), None);
}

#[test]
fn new_items_drop_a_ranking_in_flight() {
    let mut list = list_of(&["alpha", "beta"], 0);
    let job = list.edit_filter(FilterEdit::Push('b')).expect("handed out");
    let again = list.set_items(vec![Item("beta"), Item("bravo"), Item("x")]);
    assert!(matches!(list.apply_ranking(job.run()), Ranking::Stale));
    let again = again.expect("the new items are ranked again");
    assert!(matches!(
        list.apply_ranking(again.run()),
        Ranking::Applied(None)
    ));
    assert!(list.visible().iter().all(|&i| i < list.items().len()));
    assert_eq!(list.visible().len(), 2);
}

#[test]
fn appended_items_show_at_once_without_a_filter() {
    let mut list = list_of(&["a"], usize::MAX);
    assert!(list.append(vec![Item("b"), Item("c")]).is_none());
    assert_eq!(names(&list), ["a", "b", "c"]);
}

#[test]
fn an_exact_filter_is_only_where_the_list_takes_one() {
    let names = ["gpt-4o", "=gpt"];
    let mut exact = list_of(&names, usize::MAX);
    let _ = exact.edit_filter(FilterEdit::Paste("=gpt-4".into()));
    assert_eq!(exact.visible(), [0]);
    let mut fuzzy = FilteredList::new(Order::BestFirst, usize::MAX).fuzzy_only();
    let _ = fuzzy.set_items(names.iter().map(|n| Item(n)).collect());
    let _ = fuzzy.edit_filter(FilterEdit::Paste("=gpt".into()));
    assert_eq!(fuzzy.visible(), [1]);
    assert_eq!(fuzzy.exact_filter(), None);
}

#[test]
fn a_kept_order_shows_the_matches_in_the_items_order() {
    let mut list = FilteredList::new(Order::Kept, usize::MAX);
    let _ = list.set_items(vec![Item("openai"), Item("deepgram"), Item("openrouter")]);
    let _ = list.edit_filter(FilterEdit::Paste("open".into()));
    assert_eq!(list.visible(), [0, 2]);
}

#[test]
fn the_cycle_comes_back_to_the_natural_order() {
    let mut sort = None;
    let mut seen = Vec::new();
    for _ in 0..ASSISTANT_SORTS.len() {
        sort = next(&ASSISTANT_SORTS, sort);
        seen.push(sort);
    }
    assert_eq!(seen.last(), Some(&None));
    assert_eq!(seen[0], ASSISTANT_SORTS[1]);
}

#[test]
fn descending_keeps_equal_keys_in_their_order() {
    let mut items = [(1, 'a'), (1, 'b'), (2, 'c')];
    reverse_keeping_ties(&mut items, |x| x.0);
    assert_eq!(items, [(2, 'c'), (1, 'a'), (1, 'b')]);
}

#[test]
fn the_cursor_follows_the_selection_a_page_at_a_time() {
    let mut cursor = Cursor::default();
    cursor.move_by(12, 20, 5);
    assert_eq!((cursor.selected(), cursor.offset()), (12, 8));
    cursor.move_by(isize::MAX, 20, 5);
    assert_eq!(cursor.selected(), 19);
    cursor.clamp(3);
    assert_eq!((cursor.selected(), cursor.offset()), (2, 2));
}
