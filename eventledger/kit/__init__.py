"""The accountability kit: exhibits with a chain of custody (exhibits.py), captures into WARC
(capture.py), records requests with statutory deadlines (requests.py), the staging-site
register (register.py), dossiers (dossier.py) and signed packages (package.py).

It documents events after the fact: nothing here is a live view or predicts where anyone
will be. Its SQL lives in eventledger/store/kit.py, its pages in eventledger/web/kit_pages.py,
its commands in kit/cli.py.
"""
