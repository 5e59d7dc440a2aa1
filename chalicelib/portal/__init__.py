"""The citizen portal's pages: templates shared by the static generator (portal_site/) and the API's form routes."""
