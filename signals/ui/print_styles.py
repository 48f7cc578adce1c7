"""How a page looks on paper: no sidebar or toolbar, the whole page instead of one screen,
charts not cut off at the page edge and not split across two sheets.

Streamlit draws the app in a scrolling box of window height, so without these rules the
browser prints only the first screen. Charts keep the width they had on screen; printing
in landscape at 80% gives them about 1300 CSS pixels, wider than any chart at 1366 px.
"""

from __future__ import annotations

import streamlit as st

PRINT_CSS = """
<style>
@page { size: A4 landscape; margin: 10mm; }
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stExpandSidebarButton"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stBottom"], [data-testid="stChatInput"], .stDownloadButton, .stButton,
  .stFormSubmitButton, [data-testid="stCode"] { display: none !important; }
  html, body, .stApp, [data-testid="stApp"], [data-testid="stAppViewContainer"],
  [data-testid="stMain"], [data-testid="stAppScrollToBottomContainer"], section.main {
    height: auto !important; min-height: 0 !important; overflow: visible !important;
    position: static !important; }
  [data-testid="stMain"] { margin-left: 0 !important; zoom: 0.8; }
  [data-testid="stMainBlockContainer"], .block-container {
    max-width: none !important; padding: 0 !important; }
  [data-testid="stPlotlyChart"], .stPlotlyChart, [data-testid="stVegaLiteChart"],
  [data-testid="stImage"], [data-testid="stMetric"], [data-testid="stDeckGlJsonChart"],
  [data-testid="stVerticalBlockBorderWrapper"], [data-testid="stDataFrame"] {
    break-inside: avoid; page-break-inside: avoid; }
  * { -webkit-print-color-adjust: exact !important; print-color-adjust: exact !important; }
}
</style>
"""


def print_styles() -> None:
    """Inject the print rules; app.py calls this once per run, for every page."""
    st.html(PRINT_CSS)
