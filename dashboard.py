"""政务公开年报分析平台: page config, navigation, and what every page shares — the login and the sidebar filters."""
import streamlit as st

from disclosure import ui

ui.wait_turn()
st.set_page_config(page_title="政务公开年报分析平台", page_icon=":material/analytics:", layout="wide")

pages = {
    "分析": [st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),
           st.Page("pages/briefing.py", title="领导简报", icon=":material/summarize:"),
           st.Page("pages/proactive.py", title="主动公开", icon=":material/campaign:"),
           st.Page("pages/applications.py", title="依申请公开", icon=":material/assignment:"),
           st.Page("pages/appeals.py", title="复议诉讼", icon=":material/gavel:"),
           st.Page("pages/trends.py", title="趋势对比", icon=":material/trending_up:"),
           st.Page("pages/compare_years.py", title="年度对比", icon=":material/compare_arrows:"),
           st.Page("pages/quality.py", title="数据质量", icon=":material/rule:"),
           st.Page("pages/agency.py", title="单位详情", icon=":material/apartment:"),
           st.Page("pages/explore.py", title="数据探索", icon=":material/query_stats:")],
    "数据管理": [st.Page("pages/upload.py", title="数据上传", icon=":material/upload_file:"),
             st.Page("pages/import_report.py", title="报告导入", icon=":material/description:"),
             st.Page("pages/admin.py", title="账户与审计", icon=":material/admin_panel_settings:")],
}
page = st.navigation(pages, position="hidden")
ui.start(page.url_path)
ui.page_menu(pages, page)  # in the top row, so the sidebar's filters fit above the fold
ui.notices()
ui.run(page)
