"""The preview server: rebuild on every save, serve the result, reload the open tabs."""
