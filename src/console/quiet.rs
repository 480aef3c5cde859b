//! A backend that sends nothing for a frame that changed nothing. ratatui
//! writes only the cells that differ from the last frame, but each draw
//! still resets the colours and hides or places the cursor: the loop draws
//! after every batch of messages, and an idle console (a background reload
//! that found the same data) must send no byte at all.

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

pub struct Quiet<B> {
    inner: B,
    /// What the terminal was last told of the cursor; `None` when unknown
    /// (at the start, or after someone else had the terminal).
    cursor_shown: Option<bool>,
    cursor_at: Option<Position>,
}

impl<B> Quiet<B> {
    pub fn new(inner: B) -> Quiet<B> {
        Quiet {
            inner,
            cursor_shown: None,
            cursor_at: None,
        }
    }

    /// For what is written beside the frames (a copy through OSC 52).
    pub fn inner_mut(&mut self) -> &mut B {
        &mut self.inner
    }

    /// Another program had the terminal: the cursor is wherever it left it.
    pub fn forget_cursor(&mut self) {
        self.cursor_shown = None;
        self.cursor_at = None;
    }
}

impl<B: Backend> Backend for Quiet<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut content = content.peekable();
        if content.peek().is_none() {
            return Ok(());
        }
        // Printing moves the cursor.
        self.cursor_at = None;
        self.inner.draw(content)
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.cursor_at = None;
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        if self.cursor_shown != Some(false) {
            self.inner.hide_cursor()?;
            self.cursor_shown = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        if self.cursor_shown != Some(true) {
            self.inner.show_cursor()?;
            self.cursor_shown = Some(true);
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        let position = position.into();
        if self.cursor_at != Some(position) {
            self.inner.set_cursor_position(position)?;
            self.cursor_at = Some(position);
        }
        Ok(())
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.cursor_at = None;
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.cursor_at = None;
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::rc::Rc;

    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::CrosstermBackend;

    /// Counts what reaches the terminal.
    struct Counted(Rc<Cell<usize>>);

    impl std::io::Write for Counted {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.set(self.0.get() + bytes.len());
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_frame_like_the_last_sends_nothing_and_a_change_is_sent() {
        let sent = Rc::new(Cell::new(0));
        let backend = Quiet::new(CrosstermBackend::new(Counted(sent.clone())));
        let viewport = ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 10, 2));
        let mut terminal = Terminal::with_options(backend, ratatui::TerminalOptions { viewport })
            .expect("a fixed viewport asks the terminal nothing");
        let mut frame = |text: &str| {
            let before = sent.get();
            terminal
                .draw(|f| f.render_widget(text, f.area()))
                .expect("the counter takes every byte");
            sent.get() - before
        };
        assert!(frame("hello") > 0);
        assert_eq!(frame("hello"), 0);
        assert!(frame("hullo") > 0);
        assert_eq!(frame("hullo"), 0);
    }
}
