//! Clicks and the wheel, when the mouse is on.

use ratatui::crossterm::event::MouseEvent;

use super::super::app::Model;
use super::super::context::Context;
use super::super::msg::Cmd;

pub fn on_mouse(model: &mut Model, cx: &Context, mouse: MouseEvent) -> Vec<Cmd> {
    let _ = (cx, mouse);
    model.unchanged = true;
    Vec::new()
}
