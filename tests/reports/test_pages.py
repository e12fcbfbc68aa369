from newsframe.reports import pages
from newsframe.reports.config import Job

from tests.reports.helpers import TIMELINE


def test_error_page_and_index_escape_what_they_show(tmp_path):
    page = pages.error_page(Job("t", TIMELINE), "cell 3 failed: <script>alert(1)</script>", when="now")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
