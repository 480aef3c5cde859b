//! The default bindings.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::{Action, Binding, Scope};
use crate::console::app::Screen;

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

macro_rules! bind {
    ($scope:expr, [$($key:expr),+], $label:literal, $action:expr, $help:literal, $footer:expr) => {
        Binding { scope: $scope, keys: &[$($key),+], label: $label, action: $action, help: $help, footer: $footer }
    };
}

use Scope::{Confirm, Editor, Filter, Global, KeyForm, Messages, On, Picker, Preview};
use Screen::{Assistants, Models, Providers};

pub const BINDINGS: &[Binding] = &[
    bind!(
        Global,
        [(KeyCode::Char('q'), NONE), (KeyCode::Char('c'), CTRL)],
        "q",
        Action::Quit,
        "quit (asks first if there are unsaved edits)",
        Some("quit")
    ),
    bind!(
        Global,
        [
            (KeyCode::Char('?'), NONE),
            (KeyCode::Char('?'), SHIFT),
            (KeyCode::F(1), NONE)
        ],
        "?/F1",
        Action::Help,
        "show every key of this screen",
        Some("help")
    ),
    bind!(
        Global,
        [(KeyCode::Tab, NONE)],
        "Tab",
        Action::NextScreen,
        "next screen",
        None
    ),
    bind!(
        Global,
        [(KeyCode::BackTab, SHIFT), (KeyCode::BackTab, NONE)],
        "S-Tab",
        Action::PrevScreen,
        "previous screen",
        None
    ),
    bind!(
        Global,
        [(KeyCode::Char('1'), NONE)],
        "1",
        Action::GoTo(Screen::Providers),
        "Providers",
        None
    ),
    bind!(
        Global,
        [(KeyCode::Char('2'), NONE)],
        "2",
        Action::GoTo(Screen::KeyEntry),
        "Key entry for the focused provider",
        None
    ),
    bind!(
        Global,
        [(KeyCode::Char('3'), NONE)],
        "3",
        Action::GoTo(Screen::Models),
        "Models",
        None
    ),
    bind!(
        Global,
        [(KeyCode::Char('4'), NONE)],
        "4",
        Action::GoTo(Screen::Assistants),
        "Assistants",
        None
    ),
    bind!(
        Global,
        [(KeyCode::Char('r'), NONE)],
        "r",
        Action::Refresh,
        "refresh from the server",
        Some("refresh")
    ),
    bind!(
        Global,
        [(KeyCode::Esc, NONE)],
        "Esc",
        Action::Back,
        "close the top overlay",
        None
    ),
    bind!(
        Global,
        [(KeyCode::Up, NONE), (KeyCode::Char('k'), NONE)],
        "↑/k",
        Action::Up,
        "move up",
        None
    ),
    bind!(
        Global,
        [(KeyCode::Down, NONE), (KeyCode::Char('j'), NONE)],
        "↓/j",
        Action::Down,
        "move down",
        None
    ),
    bind!(
        Global,
        [(KeyCode::Left, NONE), (KeyCode::Char('h'), NONE)],
        "←/h",
        Action::Left,
        "move left",
        None
    ),
    bind!(
        Global,
        [(KeyCode::Right, NONE), (KeyCode::Char('l'), NONE)],
        "→/l",
        Action::Right,
        "move right",
        None
    ),
    bind!(
        On(Providers),
        [(KeyCode::Char('a'), NONE), (KeyCode::Enter, NONE)],
        "a",
        Action::AddKey,
        "add or rotate the focused provider's key",
        Some("add key")
    ),
    bind!(
        On(Providers),
        [(KeyCode::Char('d'), NONE)],
        "d",
        Action::RemoveKey,
        "remove the key (back to platform default keys)",
        Some("remove key")
    ),
    bind!(
        On(Models),
        [(KeyCode::Char('/'), NONE)],
        "/",
        Action::Filter,
        "filter models (fuzzy)",
        Some("filter")
    ),
    bind!(
        On(Models),
        [(KeyCode::Enter, NONE)],
        "Enter",
        Action::Select,
        "use the model in the field being edited",
        Some("choose")
    ),
    bind!(
        On(Assistants),
        [(KeyCode::Char('/'), NONE)],
        "/",
        Action::Filter,
        "filter assistants (fuzzy)",
        Some("filter")
    ),
    bind!(
        On(Assistants),
        [(KeyCode::Enter, NONE)],
        "Enter",
        Action::Select,
        "open in the editor",
        Some("edit")
    ),
    bind!(
        On(Assistants),
        [(KeyCode::Char('n'), NONE)],
        "n",
        Action::New,
        "new assistant",
        Some("new")
    ),
    bind!(
        On(Assistants),
        [(KeyCode::Char('d'), NONE)],
        "d",
        Action::Delete,
        "delete (asks first)",
        Some("delete")
    ),
    bind!(
        Editor,
        [(KeyCode::Char('s'), CTRL)],
        "C-s",
        Action::Save,
        "save",
        Some("save")
    ),
    bind!(
        Editor,
        [(KeyCode::Tab, NONE), (KeyCode::Down, NONE)],
        "Tab/↓",
        Action::NextField,
        "next field",
        Some("next field")
    ),
    bind!(
        Editor,
        [
            (KeyCode::BackTab, SHIFT),
            (KeyCode::BackTab, NONE),
            (KeyCode::Up, NONE)
        ],
        "S-Tab/↑",
        Action::PrevField,
        "previous field",
        None
    ),
    bind!(
        Editor,
        [(KeyCode::Enter, NONE)],
        "Enter",
        Action::Select,
        "pick a model/language, edit messages",
        Some("choose/edit")
    ),
    bind!(
        Editor,
        [(KeyCode::Delete, NONE)],
        "Del",
        Action::ClearChoice,
        "clear a model/language (platform default)",
        None
    ),
    bind!(
        Editor,
        [(KeyCode::Char('r'), CTRL)],
        "C-r",
        Action::Reload,
        "reload the server's version, keeping your edits",
        None
    ),
    bind!(
        Editor,
        [(KeyCode::Char('p'), CTRL)],
        "C-p",
        Action::TogglePreview,
        "show the JSON body that will be sent",
        None
    ),
    bind!(
        Editor,
        [(KeyCode::Esc, NONE)],
        "Esc",
        Action::Back,
        "leave the editor (asks if unsaved)",
        Some("leave")
    ),
    bind!(
        Messages,
        [(KeyCode::Char('n'), CTRL)],
        "C-n",
        Action::AddMessage,
        "add a message after this one",
        Some("add")
    ),
    bind!(
        Messages,
        [(KeyCode::Char('d'), CTRL)],
        "C-d",
        Action::RemoveMessage,
        "delete this message",
        Some("delete")
    ),
    bind!(
        Messages,
        [(KeyCode::Char('t'), CTRL)],
        "C-t",
        Action::CycleRole,
        "cycle the role (system/user/assistant)",
        Some("role")
    ),
    bind!(
        Messages,
        [(KeyCode::PageUp, NONE)],
        "PgUp",
        Action::PrevMessage,
        "previous message",
        None
    ),
    bind!(
        Messages,
        [(KeyCode::PageDown, NONE)],
        "PgDn",
        Action::NextMessage,
        "next message",
        None
    ),
    bind!(
        Messages,
        [(KeyCode::Char('s'), CTRL)],
        "C-s",
        Action::Save,
        "save",
        None
    ),
    bind!(
        Messages,
        [(KeyCode::Esc, NONE)],
        "Esc",
        Action::Back,
        "back to the fields",
        Some("done")
    ),
    // In text fields '?' is a character, so help there is F1 only.
    bind!(
        Editor,
        [(KeyCode::F(1), NONE)],
        "F1",
        Action::Help,
        "show every key of the editor",
        Some("help")
    ),
    bind!(
        Messages,
        [(KeyCode::F(1), NONE)],
        "F1",
        Action::Help,
        "show every key of the message editor",
        Some("help")
    ),
    bind!(
        KeyForm,
        [(KeyCode::Enter, NONE)],
        "Enter",
        Action::Save,
        "save the key (paste works; spaces around it are trimmed)",
        Some("save")
    ),
    bind!(
        KeyForm,
        [(KeyCode::Esc, NONE)],
        "Esc",
        Action::Back,
        "cancel (asks first if a key was typed)",
        Some("cancel")
    ),
    bind!(
        KeyForm,
        [(KeyCode::F(1), NONE)],
        "F1",
        Action::Help,
        "show these keys",
        Some("help")
    ),
    bind!(
        KeyForm,
        [(KeyCode::Char('u'), CTRL)],
        "C-u",
        Action::ClearField,
        "clear the field (old text never stays in front of a new key)",
        Some("clear")
    ),
    bind!(
        KeyForm,
        [(KeyCode::Char('w'), CTRL)],
        "C-w",
        Action::DeleteWord,
        "delete the word before the cursor",
        None
    ),
    bind!(
        KeyForm,
        [(KeyCode::Char('k'), CTRL)],
        "C-k",
        Action::DeleteToEnd,
        "delete from the cursor to the end",
        None
    ),
    bind!(
        KeyForm,
        [(KeyCode::Char('c'), CTRL)],
        "C-c",
        Action::Quit,
        "quit (asks first if a key was typed)",
        None
    ),
    bind!(
        Global,
        [(KeyCode::PageUp, NONE)],
        "PgUp",
        Action::PageUp,
        "a page up",
        None
    ),
    bind!(
        Global,
        [(KeyCode::PageDown, NONE)],
        "PgDn",
        Action::PageDown,
        "a page down",
        None
    ),
    bind!(
        Global,
        [(KeyCode::Home, NONE), (KeyCode::Char('g'), NONE)],
        "Home/g",
        Action::Top,
        "first row",
        None
    ),
    bind!(
        Global,
        [
            (KeyCode::End, NONE),
            (KeyCode::Char('G'), NONE),
            (KeyCode::Char('G'), SHIFT)
        ],
        "End/G",
        Action::Bottom,
        "last row",
        None
    ),
    bind!(
        Preview,
        [(KeyCode::Up, NONE), (KeyCode::Char('k'), NONE)],
        "↑/k",
        Action::Up,
        "scroll up",
        Some("scroll")
    ),
    bind!(
        Preview,
        [(KeyCode::Down, NONE), (KeyCode::Char('j'), NONE)],
        "↓/j",
        Action::Down,
        "scroll down",
        None
    ),
    bind!(
        Preview,
        [(KeyCode::PageUp, NONE)],
        "PgUp",
        Action::PageUp,
        "a page up",
        None
    ),
    bind!(
        Preview,
        [(KeyCode::PageDown, NONE), (KeyCode::Char(' '), NONE)],
        "PgDn",
        Action::PageDown,
        "a page down",
        Some("page")
    ),
    bind!(
        Preview,
        [(KeyCode::Home, NONE), (KeyCode::Char('g'), NONE)],
        "Home",
        Action::Top,
        "back to the top",
        None
    ),
    bind!(
        Preview,
        [
            (KeyCode::Esc, NONE),
            (KeyCode::Enter, NONE),
            (KeyCode::Char('q'), NONE),
            (KeyCode::Char('p'), CTRL)
        ],
        "Esc",
        Action::Back,
        "close the preview",
        Some("close")
    ),
    bind!(
        Filter,
        [(KeyCode::Enter, NONE)],
        "Enter",
        Action::Select,
        "keep the filter and go back to the list",
        Some("keep")
    ),
    bind!(
        Filter,
        [(KeyCode::Esc, NONE)],
        "Esc",
        Action::Back,
        "clear the filter",
        Some("clear")
    ),
    bind!(
        Filter,
        [(KeyCode::Up, NONE)],
        "↑",
        Action::Up,
        "move up",
        None
    ),
    bind!(
        Filter,
        [(KeyCode::Down, NONE)],
        "↓",
        Action::Down,
        "move down",
        None
    ),
    bind!(
        Picker,
        [(KeyCode::Enter, NONE)],
        "Enter",
        Action::Select,
        "choose",
        Some("choose")
    ),
    bind!(
        Picker,
        [(KeyCode::Esc, NONE)],
        "Esc",
        Action::Back,
        "cancel",
        Some("cancel")
    ),
    bind!(
        Picker,
        [(KeyCode::Up, NONE)],
        "↑",
        Action::Up,
        "move up",
        None
    ),
    bind!(
        Picker,
        [(KeyCode::Down, NONE)],
        "↓",
        Action::Down,
        "move down",
        None
    ),
    bind!(
        Confirm,
        [
            (KeyCode::Char('y'), NONE),
            (KeyCode::Char('Y'), SHIFT),
            (KeyCode::Char('Y'), NONE)
        ],
        "y",
        Action::Yes,
        "yes (Enter is not an answer: every question here destroys something)",
        Some("yes")
    ),
    bind!(
        Confirm,
        [
            (KeyCode::Char('n'), NONE),
            (KeyCode::Char('N'), SHIFT),
            (KeyCode::Char('N'), NONE),
            (KeyCode::Esc, NONE)
        ],
        "n/Esc",
        Action::Back,
        "no",
        Some("no")
    ),
    bind!(
        Global,
        [(KeyCode::Char('z'), CTRL)],
        "C-z",
        Action::Suspend,
        "suspend to the shell (fg comes back)",
        None
    ),
];
