"""Word lists for reading questions: stop words, synonyms, the English glossary.

Hand-written: no offline Chinese synonym resource or translation model ships on PyPI, and
these lists only need the report domain's common paraphrases.
"""

from __future__ import annotations

STOP = set(
    "的 了 是 在 有 和 与 及 或 吗 呢 吧 啊 呀 么 请问 多少 几 几个 什么 哪些 哪个 哪 哪里 哪儿 谁 "
    "怎么 怎样 如何 为什么 为何 是否 有没有 其中 报告 一下 告诉 我 我们 你 一共 共 总共 分别 "
    "多 少 情况 方面 具体 相关 主要 数量 数 请 对 为 被 把 从 到 给 这 那 那么 这个 那个 该 "
    "现在 目前 当前 如今 当初 原来 原先 曾经 "
    "what how many much which who when where why is are was were the a an of in on to for "
    "did do does by with and or report according please tell me".split()
)

# Everyday words staff use for the report's words. Hand-written: no offline Chinese synonym
# resource ships on PyPI, and the list only needs the domain's common paraphrases.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "公司": ("企业", "集团"), "企业": ("公司",), "人员": ("人数", "学员", "人才"),
    "员工": ("人数",), "补贴": ("补助", "资金"), "补助": ("补贴",), "钱": ("资金", "金额", "元"),
    "经费": ("资金",), "拨款": ("拨付",), "上一年": ("同比",), "去年": ("同比",),
    "上年": ("同比",), "增速": ("增长",), "增幅": ("增长",), "涨": ("增长",), "份": ("个",),
    "百强": ("100强", "100 强"), "名次": ("第",), "举办": ("举行",), "召开": ("举行",),
    "县区": ("县(区)", "县区"), "省里": ("省",), "市里": ("市",), "总额": ("总计", "共"),
    "合计": ("总计", "共"), "数量": ("个", "家"), "出台": ("出台", "发布"), "文件": ("细则",),
    "外包": ("外包",), "主办方": ("主办",), "承办方": ("承办",), "协办方": ("协办",),
    "计划": ("拟", "计划"), "预计": ("拟", "预计"),
    "评价": ("评为", "好评", "肯定", "称赞"),
    "城市": ("市",), "培训班": ("培训",), "培训机构": ("培训机构", "人才机构"),
}
# Titles: 副部长 is not 部长 (a deputy is a different person to ask about).
TITLES = ("书记", "部长", "省长", "市长", "司长", "局长", "厅长", "主任", "会长", "秘书长", "区长",
          "县长", "院长", "校长", "总经理", "董事长")
GENERIC = set("名字 名称 情况 方面 内容 问题 时候 时间 哪天 几天 日期 情形 报告 文中 提到 "
               "哪个 哪家 哪位 哪里 哪些 单位 部门 全年 当天 那天 之后 随后 以后 当时 期间 "
               "分别 主要 具体 一共 总共 大约 大概 左右 约 多大 多高 多长 怎样 什么 方 "
               "业务 部分 机构 一级 总额 比例 比重 百分点 百分 百分之 月份 工作 数量 家数 人数 "
               "数字 数额 金额数 那场 这场 这次 那次 当年 今年 本年 上一年 去年 上年 同期".split())
# Question words glued to a counter or noun by the tokenizer (几家, 哪几天, 第几名, 是不是).

# Words that turn one quantity into another (a stock, a plan, a target): never optional.
MODIFIERS = set("累计 截至 总数 总量 目标 预计 预期 计划 规划 存量 余额 利润 收入 营业收入 "
                 "工资 薪酬 平均工资".split())
NOT_SALIENT_POS = ("v", "a", "d", "p", "c", "u", "r", "q", "y", "e", "o", "f", "x", "z")



# English question words -> the Chinese words the report would use. Hand-written because no
# offline translation model ships on PyPI; it only has to bridge question to evidence.
GLOSSARY: dict[str, tuple[str, ...]] = {
    "nanchang": ("南昌",), "jiangxi": ("江西",), "ibm": ("ibm",), "neusoft": ("东软",),
    "hitachi": ("日立",), "hp": ("惠普",), "hewlett": ("惠普",), "red hat": ("红帽",),
    "microsoft": ("微软",), "tsinghua": ("清华",), "dalian": ("大连",), "hangzhou": ("杭州",),
    "nanjing": ("南京",), "company": ("企业",), "companies": ("企业",), "firms": ("企业",),
    "firm": ("企业",), "enterprises": ("企业",), "enterprise": ("企业",), "new": ("新增",),
    "employees": ("从业人数",), "employment": ("从业人数",), "jobs": ("从业人数",),
    "workers": ("从业人数",), "contract": ("合同",), "contracts": ("合同",),
    "offshore": ("离岸",), "executed": ("执行",), "execution": ("执行",), "value": ("金额",),
    "amount": ("金额",), "subsidy": ("补助", "补贴"), "subsidies": ("补助", "补贴"),
    "subsidised": ("补助",), "subsidized": ("补助",), "trainees": ("学员",),
    "students": ("学员",), "training": ("培训", "实训"), "base": ("基地",),
    "policy": ("政策",), "policies": ("政策",), "funds": ("资金",), "funding": ("资金",),
    "fund": ("资金",), "certifications": ("认证",), "certification": ("认证",),
    "international": ("国际",), "growth": ("增长",), "grow": ("增长",), "grew": ("增长",),
    "increase": ("增长",), "outsourcing": ("外包",), "service": ("服务",),
    "agreements": ("协议",), "agreement": ("协议",), "data": ("数据",), "center": ("中心",),
    "centre": ("中心",), "expo": ("博览会",), "fair": ("博览会", "交易会"),
    "government": ("政府",), "municipal": ("市级",), "district": ("县",), "county": ("县",),
    "finance": ("财政",), "fiscal": ("财政",), "national": ("国家",), "ministry": ("部",),
    "commerce": ("商务",), "vice": ("副",), "mayor": ("市长",), "minister": ("部长",),
    "survey": ("调研",), "research": ("调研", "研究"), "team": ("组",),
    "cloud": ("云计算",), "standard": ("标准",), "per": ("每",), "person": ("人",),
    "people": ("人",), "allocated": ("拨付",), "paid": ("兑现", "拨付"),
    "advanced": ("先进",), "technology": ("技术",), "recognized": ("认定",),
    "recognised": ("认定",), "platform": ("平台",), "public": ("公共",),
    "institutions": ("机构",), "institution": ("机构",), "talent": ("人才",),
    "trainee": ("学员",), "pioneer": ("先锋",), "technologically": ("技术",),
    "technological": ("技术",), "industry": ("产业",), "sector": ("产业",),
    "industrial": ("产业",), "job": ("从业人数",), "staff": ("人员",),
    "batch": ("批",), "second": ("第二",), "first": ("第一",), "park": ("园", "高新区"),
    "money": ("资金",), "paid out": ("兑现",), "share": ("占",), "work": ("业务",),
    "business": ("业务",), "high-tech": ("高新",), "zone": ("区",), "investment": ("投资",),
    "trade": ("贸易",), "cooperation": ("合作",), "co-operation": ("合作",),
    "sign": ("签订",), "signed": ("签订",), "city": ("市",), "rate": ("增长",),
    "proportion": ("占",), "subsidise": ("补助",),
}



# Verbs that carry no meaning of their own before 多少 (拿到多少钱, 有多少家).
LIGHT_VERBS = set("有 是 为 拿到 拿 获得 得到 花 用 达到 达 安排 出 占 承担 给 发 给了 算 涉及 "
                   "包括 共有 一共有 排 计 合计 总计 增加 多 少 差 相差 比 还有 还剩 剩下 剩 剩余 "
                   "余下".split())




EN_STOP = set("""what which who whom whose when where why how many much did does do is are was
were be been the a an of in on at to for from by with and or not no yes there this that these
those it its their they them his her our your my me you we i s year years total number amount
value figure figures number numbers per cent percent percentage share part rest other get got
give given receive received make made add added create created come came grow grew rise rose
like according report say said state stated under over about than more less after before during
new newly each every all any some same money out work worked working total""".split())
