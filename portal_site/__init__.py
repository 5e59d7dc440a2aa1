"""The citizen portal's static site: `python -m portal_site.build` writes it into portal_site/build/."""
