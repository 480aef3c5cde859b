//! What a key can mean. The names users write in config.toml are the
//! variants in snake_case (serde's), so no second table can drift from them.

use serde::Deserialize;
use serde::de::IntoDeserializer;

/// One list makes both the enum and `Action::ALL`, so a new action is
/// known to the "every action has a key" checks at once.
macro_rules! actions {
    ($($variant:ident),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Action {
            $($variant),+
        }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];
        }
    };
}

actions! {
    Quit,
    Help,
    Suspend,
    NextScreen,
    PrevScreen,
    Providers,
    Models,
    Assistants,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Top,
    Bottom,
    AddKey,
    RemoveKey,
    CheckKey,
    Refresh,
    Filter,
    Select,
    Back,
    New,
    Delete,
    Save,
    Reload,
    ClearChoice,
    NextField,
    PrevField,
    AddMessage,
    RemoveMessage,
    CycleRole,
    PrevMessage,
    NextMessage,
    TogglePreview,
    Yes,
    ClearField,
    DeleteWord,
    DeleteToEnd,
    NewLine,
    Command,
    CopyId,
    CopyJson,
    CopyCurl,
    EditJson,
    DiscardJsonEdit,
    ShowLog,
    Sort,
}

impl Action {
    /// The action a config.toml name means; the error lists every name.
    pub fn named(name: &str) -> Result<Action, String> {
        Action::deserialize(name.into_deserializer())
            .map_err(|e: serde::de::value::Error| format!("{name:?}: {e}"))
    }

    /// Whether the action changes something on the server or in a form: a
    /// read-only session neither offers nor performs these.
    pub fn writes(self) -> bool {
        matches!(
            self,
            Action::AddKey
                | Action::RemoveKey
                | Action::New
                | Action::Delete
                | Action::Save
                | Action::ClearChoice
                | Action::AddMessage
                | Action::RemoveMessage
                | Action::CycleRole
                | Action::ClearField
                | Action::DeleteWord
                | Action::DeleteToEnd
                | Action::NewLine
        )
    }
}
