use super::*;

fn names(kind: Names) -> Vec<String> {
    match kind {
        Names::Provider => vec!["openai".into(), "deepgram".into(), "azure-openai".into()],
        Names::Assistant => vec!["Support bot".into(), "Sales".into()],
        Names::Profile => vec!["local".into(), "prod".into(), "staging".into()],
        Names::Theme => vec!["default".into(), "light".into()],
    }
}

fn line(text: &str) -> CommandLine {
    CommandLine {
        text: text.into(),
        ..CommandLine::default()
    }
}

#[test]
fn a_unique_start_is_enough_and_an_unknown_word_lists_the_commands() {
    assert_eq!(parse(":prov").unwrap().spec.name, "providers");
    assert_eq!(parse("q").unwrap().spec.name, "quit");
    assert_eq!(
        parse("edit  Support bot ").unwrap().arg.as_deref(),
        Some("Support bot")
    );
    let err = parse("frobnicate").unwrap_err();
    assert!(err.contains("no command :frobnicate"), "{err}");
    for spec in COMMANDS {
        assert!(err.contains(&format!(":{}", spec.name)), "{err}");
    }
    let err = parse("re").unwrap_err();
    assert!(
        err.contains(":refresh") && err.contains(":readonly"),
        "{err}"
    );
    assert!(parse("edit").unwrap_err().contains("NAME"));
    assert!(parse("quit now").unwrap_err().contains("takes nothing"));
    assert!(parse("  ").is_err());
}

#[test]
fn tab_completes_the_command_then_its_argument() {
    let mut l = line("pro");
    l.complete(true, &names);
    // Two commands start with "pro": the first is shown, Tab goes on.
    assert_eq!(l.text, "providers");
    l.complete(true, &names);
    assert_eq!(l.text, "profile ");
    l.complete(true, &names);
    assert_eq!(l.text, "providers");
    l.complete(false, &names);
    assert_eq!(l.text, "profile ");
    // Typing drops the offer; the next Tab completes the profile name.
    l.type_char('s');
    l.complete(true, &names);
    assert_eq!(l.text, "profile staging");
    assert!(l.completion.is_none());

    let mut l = line("models open");
    l.complete(true, &names);
    // "openai" starts with it, "azure-openai" only contains it: both, in that order.
    assert_eq!(l.text, "models openai");
    assert_eq!(
        l.completion.as_ref().unwrap().candidates,
        ["openai", "azure-openai"]
    );

    let mut l = line("edit sup");
    l.complete(true, &names);
    assert_eq!(l.text, "edit Support bot");

    let mut l = line("refresh x");
    l.complete(true, &names);
    assert_eq!(
        l.text, "refresh x",
        "nothing to complete after a bare command"
    );
}

#[test]
fn history_walks_back_through_entries_starting_with_what_was_typed() {
    let mut history = Vec::new();
    for entry in [
        "models openai",
        "edit Sales",
        "models deepgram",
        "models deepgram",
        "",
    ] {
        remember(&mut history, entry);
    }
    assert_eq!(history, ["models openai", "edit Sales", "models deepgram"]);
    let mut l = line("mod");
    l.older(&history);
    assert_eq!(l.text, "models deepgram");
    l.older(&history);
    assert_eq!(l.text, "models openai");
    l.older(&history);
    assert_eq!(l.text, "models openai", "the oldest match stays");
    l.newer(&history);
    assert_eq!(l.text, "models deepgram");
    l.newer(&history);
    assert_eq!(l.text, "mod", "back to what was typed");
}

#[test]
fn history_keeps_the_last_hundred() {
    let mut history = Vec::new();
    for i in 0..150 {
        remember(&mut history, &format!("edit {i}"));
    }
    assert_eq!(history.len(), 100);
    assert_eq!(history[0], "edit 50");
}

#[test]
fn a_paste_stays_one_line() {
    let mut l = line("edit ");
    l.paste("Sales\r\n");
    assert_eq!(l.text, "edit Sales");
}

#[test]
fn a_name_listed_twice_is_offered_once_whatever_the_case_typed() {
    // A provider comes once per catalog section it serves.
    let twice = |_| -> Vec<String> {
        vec![
            "openai".into(),
            "openrouter".into(),
            "openai".into(),
            "azure-openai".into(),
        ]
    };
    let (stem, offered) = complete::candidates("models OPEN", &twice);
    assert_eq!(stem, "models ");
    assert_eq!(offered, ["openai", "openrouter", "azure-openai"]);
}
