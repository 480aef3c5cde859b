//! An allocator that wipes memory as it is freed, once `voicedock serve`
//! switches it on. A provider key arrives in buffers the server does not
//! own — hyper's read buffer, serde's and the validators' intermediate
//! strings — and a freed buffer keeps its bytes until the allocator happens
//! to reuse it: after a while, a heap dump of a server without this held
//! the secrets of many requests. Wiping every freed block is the one place
//! that covers all of them.
//!
//! Off until switched on, so the console and the other commands, which
//! allocate on every frame, pay only a relaxed load per free.

use std::alloc::{GlobalAlloc, Layout, System};
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicBool, Ordering};

use zeroize::Zeroize;

static WIPE_FREED: AtomicBool = AtomicBool::new(false);

/// From now on, every block freed in this process is wiped first (if the
/// binary uses [`WipingAllocator`]).
pub fn wipe_freed_memory() {
    WIPE_FREED.store(true, Ordering::Relaxed);
}

pub struct WipingAllocator;

/// # Safety
/// `ptr` is a live block of `size` bytes that nothing else uses.
unsafe fn wipe(ptr: *mut u8, size: usize) {
    // SAFETY: the caller's promise; any byte value is a valid MaybeUninit.
    let block = unsafe { std::slice::from_raw_parts_mut(ptr.cast::<MaybeUninit<u8>>(), size) };
    // Volatile, so the stores survive although the block is freed next.
    block.zeroize();
}

// SAFETY: every call is passed on to `System` with the same layout; the only
// addition is overwriting a block its owner has just given up.
unsafe impl GlobalAlloc for WipingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if WIPE_FREED.load(Ordering::Relaxed) {
            // SAFETY: the block is being freed: live, `layout.size()` long
            // and no longer used by anyone.
            unsafe { wipe(ptr, layout.size()) };
        }
        // SAFETY: the caller upholds `dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !WIPE_FREED.load(Ordering::Relaxed) {
            // SAFETY: the caller upholds `realloc`'s contract.
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        // System's realloc may move the block and free the old one unwiped:
        // move it here instead.
        // SAFETY: `new_size` with the old alignment is a valid layout, as
        // `realloc`'s contract requires.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: a layout of non-zero size, as `realloc`'s contract requires.
        let new = unsafe { System.alloc(new_layout) };
        if !new.is_null() {
            // SAFETY: both blocks are live and distinct, and each holds at
            // least the bytes copied; the old one is then freed (and wiped).
            unsafe {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        new
    }
}
