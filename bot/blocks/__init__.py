"""Pure Block Kit builders: data in, a `Message` (fallback text + blocks) out."""
