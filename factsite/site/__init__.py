"""A validated project rendered into the site's files and written to the output folder."""
