"""Generate the embedded demo mall 云汇广场 / Yunhui Plaza as IMDF GeoJSON.

The output is byte-identical on every run. Usage:

    python tools/gen_demo_mall.py [OUT_DIR]     # default: kiosk/resources/demo
"""

from __future__ import annotations

import itertools
import json
import math
import random
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "kiosk" / "resources" / "demo"

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://yunhui-plaza.example/imdf")
LON0, LAT0 = 121.4700, 31.2300
WIDTH, DEPTH = 180.0, 110.0  # metres, x east and y north from the south-west corner
M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(LAT0))

MALL_HOURS = "Mo-Su 10:00-22:00"
RESTAURANT_HOURS = "Mo-Su 11:00-21:30"
BANK_HOURS = "Mo-Fr 09:00-17:00; Sa-Su 10:00-16:00"
MALL_PHONE = "021-6188 8000"

Json = dict[str, Any]


def uid(kind: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}/{key}"))


def lonlat(x: float, y: float) -> list[float]:
    return [
        round(LON0 + (x - WIDTH / 2) / M_PER_DEG_LON, 7),
        round(LAT0 + (y - DEPTH / 2) / M_PER_DEG_LAT, 7),
    ]


def point_geom(x: float, y: float) -> Json:
    return {"type": "Point", "coordinates": lonlat(x, y)}


def labels(zh: str, en: str) -> Json:
    return {"en": en, "zh-Hans": zh}


@dataclass(frozen=True)
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def center(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    def polygon(self) -> Json:
        # Counter-clockwise exterior ring, as RFC 7946 asks.
        corners = [
            (self.x0, self.y0),
            (self.x1, self.y0),
            (self.x1, self.y1),
            (self.x0, self.y1),
            (self.x0, self.y0),
        ]
        return {"type": "Polygon", "coordinates": [[lonlat(x, y) for x, y in corners]]}

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1


FOOTPRINT = Rect(0, 0, WIDTH, DEPTH)


@dataclass(frozen=True)
class Tenant:
    zh: str
    en: str
    category: str
    keywords: str
    popularity: int | None = None
    hours: str | None = None
    pinyin: str | None = None


def keyword_list(text: str) -> list[str]:
    """Commas separate keywords; without them each Chinese word stands alone and consecutive
    Latin words form one phrase ("奶茶 milk tea" -> ["奶茶", "milk tea"])."""
    keywords: list[str] = []
    for group in text.split(","):
        latin: list[str] = []
        for word in group.split():
            if word.isascii():
                latin.append(word)
                continue
            if latin:
                keywords.append(" ".join(latin))
                latin = []
            keywords.append(word)
        if latin:
            keywords.append(" ".join(latin))
    return keywords


def t(
    zh: str,
    en: str,
    category: str,
    keywords: str,
    popularity: int | None = None,
    *,
    hours: str | None = None,
    pinyin: str | None = None,
) -> Tenant:
    return Tenant(zh, en, category, keywords, popularity, hours, pinyin)


def r(zh: str, en: str, keywords: str, popularity: int | None = None) -> Tenant:
    """A sit-down restaurant."""
    return Tenant(zh, en, "food", keywords, popularity, RESTAURANT_HOURS)


# --- tenants, per level: four anchor stores first, then the rest in slot order ------------------

TENANTS_1F = [
    t("苹果", "Apple", "electronics", "iPhone, iPad, Mac, 手机 phone 电脑 computer 平板 数码", 98),
    t("丝芙兰", "SEPHORA", "beauty", "化妆品 cosmetics 香水 perfume 彩妆 makeup", 85),
    t("周大福", "Chow Tai Fook", "fashion", "珠宝 jewellery 黄金 gold 钻石 diamond", 80),
    t("维罗纳皮具", "Verona Leather", "fashion", "皮具 leather 手袋 handbag 奢侈品 luxury", 45),
    t("星巴克", "Starbucks", "food", "咖啡 coffee 拿铁 latte 星冰乐", 96),
    t("喜茶", "HEYTEA", "food", "奶茶 milk tea 果茶 fruit tea 饮品 drinks", 90),
    t("瑞幸咖啡", "luckin coffee", "food", "咖啡 coffee 生椰拿铁 latte", 82),
    t("哈根达斯", "Häagen-Dazs", "food", "冰淇淋 ice cream 甜品 dessert", 70),
    t("中国银行", "Bank of China", "services", "银行 bank 取款 ATM 外币兑换", 55, hours=BANK_HOURS),
    t("兰蔻", "Lancôme", "beauty", "护肤 skincare 香水 perfume 化妆品 cosmetics", 72),
    t("雅诗兰黛", "Estée Lauder", "beauty", "护肤 skincare 化妆品 cosmetics", 70),
    t("资生堂", "Shiseido", "beauty", "护肤 skincare 防晒 sunscreen", 65),
    t("悦诗风吟", "innisfree", "beauty", "护肤 skincare 面膜 mask", 55),
    t("完美日记", "Perfect Diary", "beauty", "彩妆 makeup 口红 lipstick", 68),
    t("花西子", "Florasis", "beauty", "彩妆 makeup 国货 口红 lipstick", 64),
    t("花间美妆", "Huajian Beauty", "beauty", "美妆 cosmetics 彩妆 makeup"),
    t("青岚香氛", "Qinglan Fragrance", "beauty", "香水 perfume 香氛 fragrance 蜡烛 candle"),
    t("素颜护肤", "Suyan Skincare", "beauty", "护肤 skincare 面霜 cream"),
    t("型男理容", "Gentlemen's Grooming", "beauty", "男士 men 理发 barber 剃须 shave"),
    t("铂悦腕表", "Boyue Watches", "fashion", "手表 watches 腕表 名表 luxury"),
    t("金缕衣", "Jinlv Couture", "fashion", "女装 womenswear 礼服 gown 奢侈品 luxury"),
    t("玖号眼镜", "No.9 Eyewear", "fashion", "眼镜 glasses 太阳镜 sunglasses"),
    t("珍珠坊", "Pearl House", "fashion", "珍珠 pearls 首饰 jewellery"),
    t("丝路围巾", "Silk Road Scarves", "fashion", "丝巾 scarves 真丝 silk 围巾"),
    t("行者箱包", "Xingzhe Luggage", "fashion", "箱包 luggage 行李箱 suitcase 旅行 travel"),
    t("拾光咖啡", "Shiguang Café", "food", "咖啡 coffee 简餐 brunch 下午茶"),
    t("甜心烘焙", "Sweetheart Bakery", "food", "面包 bread 蛋糕 cake 烘焙 bakery"),
    t("鲜果时光", "Fresh Fruit Time", "food", "果汁 juice 水果 fruit 果切"),
    t("巧克力工坊", "Chocolate Atelier", "food", "巧克力 chocolate 礼品 gifts"),
    t("花语花艺", "Huayu Florist", "home", "鲜花 flowers 花束 bouquet 花店 florist"),
    t("云汇礼品", "Yunhui Gifts", "home", "礼品 gifts 纪念品 souvenirs"),
    t("巴黎香水", "Parfum de Paris", "beauty", "香水 perfume 香氛"),
    t("大疆", "DJI", "electronics", "无人机 drone 相机 camera 云台 gimbal", 75),
]

TENANTS_2F = [
    t("优衣库", "UNIQLO", "fashion", "服装 clothing 基本款 basics 休闲 casual T恤 羽绒服", 95),
    t("ZARA", "ZARA", "fashion", "女装 男装 快时尚 fast fashion", 88),
    t("H&M", "H&M", "fashion", "快时尚 fast fashion 服装 clothing", 85),
    t("太平鸟", "PEACEBIRD", "fashion", "女装 男装 潮流 trendy", 70),
    t("江南布衣", "JNBY", "fashion", "女装 womenswear 设计师 designer", 60),
    t("素白女装", "Subai Women", "fashion", "女装 womenswear 连衣裙 dress"),
    t("墨衫男装", "Moshan Menswear", "fashion", "男装 menswear 西装 suits"),
    t("北纬牛仔", "North Latitude Denim", "fashion", "牛仔 denim, jeans 牛仔裤"),
    t("织梦针织", "Zhimeng Knitwear", "fashion", "针织 knitwear 毛衣 sweater"),
    t("云裳旗袍", "Yunshang Qipao", "fashion", "旗袍 qipao, cheongsam 中式"),
    t("步履鞋履", "Bulv Shoes", "fashion", "鞋 shoes 女鞋 皮鞋"),
    t("小城故事女装", "Small Town Story", "fashion", "女装 womenswear 连衣裙 dress"),
    t("简约主义", "Minimalist Lab", "fashion", "极简 minimalist 男装 女装"),
    t("风尚快时尚", "Fengshang Fast Fashion", "fashion", "快时尚 fast fashion 服装"),
    t("锦绣丝巾", "Jinxiu Silk", "fashion", "丝巾 scarves 配饰 accessories"),
    t("山茶内衣", "Camellia Lingerie", "fashion", "内衣 lingerie 家居服 loungewear"),
    t("青柠少女", "Lime Girl", "fashion", "少女 young women 女装"),
    t("绅士衬衫", "Gentleman Shirts", "fashion", "衬衫 shirts 定制 tailored 男装"),
    t("城市行者", "Urban Walker", "fashion", "运动鞋 sneakers 休闲鞋 鞋 shoes"),
    t("莫兰迪工作室", "Morandi Studio", "fashion", "女装 设计师 designer"),
    t("潮牌集合店", "Streetwear Collective", "fashion", "潮牌 streetwear 卫衣 hoodie"),
    t("白鹭包袋", "Egret Bags", "fashion", "包 bags 手袋 handbags 背包 backpack"),
    t("时光腕表", "Time Watches", "fashion", "手表 watches"),
    t("悦己配饰", "Yueji Accessories", "fashion", "配饰 accessories 耳环 earrings 发饰"),
    t("森林系", "Forest Mori", "fashion", "文艺 森系 棉麻 linen"),
    t("拾年古着", "Decade Vintage", "fashion", "古着 vintage 二手 second-hand"),
    t("羽绒工坊", "Down Workshop", "fashion", "羽绒服 down jacket 冬装 winter"),
    t("波司登", "BOSIDENG", "fashion", "羽绒服 down jacket 冬装", 70),
    t("李维斯", "Levi's", "fashion", "牛仔 denim, jeans 牛仔裤", 72),
    t("光影美发", "Guangying Hair Salon", "beauty", "美发 hair salon 烫发 染发 理发 haircut"),
    t("美甲工坊", "Nail Studio", "beauty", "美甲 nails, manicure"),
    t("半日茶", "Half-Day Tea", "food", "茶饮 tea 奶茶 milk tea"),
    t("巧手裁缝", "Qiaoshou Tailor", "services", "改衣 alterations 裁缝 tailor 修改裤脚"),
    t("明亮眼镜", "Bright Optical", "services", "配镜 glasses 验光 eye test 隐形眼镜 contacts"),
    t("云朵家居服", "Cloud Loungewear", "fashion", "家居服 loungewear 睡衣 pajamas"),
]

TENANTS_3F = [
    t("耐克", "Nike", "sports", "运动鞋 sneakers 跑步 running 篮球 basketball 运动服", 95),
    t("无印良品", "MUJI", "home", "家居 homeware 文具 stationery 收纳 storage 服装", 90),
    t("乐高", "LEGO", "kids", "积木 bricks 玩具 toys 拼搭", 88),
    t("迪卡侬", "Decathlon", "sports", "运动 sports 户外 outdoor 健身 fitness 露营 camping", 85),
    t("阿迪达斯", "adidas", "sports", "运动鞋 sneakers 运动服 sportswear 足球 football", 92),
    t("华为", "HUAWEI", "electronics", "手机 phone 平板 tablet 手表 watch 笔记本 laptop", 92),
    t("小米", "Xiaomi", "electronics", "手机 phone 智能家居 smart home 电视 TV", 90),
    t("李宁", "LI-NING", "sports", "运动鞋 运动服 sportswear 羽毛球 badminton", 80),
    t("安踏", "ANTA", "sports", "运动鞋 sneakers 运动服 sportswear", 78),
    t("捷安特自行车", "Giant Bicycles", "sports", "自行车 bicycle 骑行 cycling", 50),
    t("山野户外", "Shanye Outdoor", "sports", "户外 outdoor 登山 hiking 冲锋衣 jacket"),
    t("瑜伽空间", "Yoga Space", "sports", "瑜伽 yoga 健身服 activewear"),
    t("跑者之家", "Runner's Home", "sports", "跑步 running 跑鞋 running shoes"),
    t(
        "乐乐童装",
        "Lele Kids",
        "kids",
        "童装 kids clothing 儿童 children",
        55,
        pinyin="le le tong zhuang",
    ),
    t("小小探险家", "Little Explorers", "kids", "玩具 toys 儿童 children 益智 educational"),
    t("贝贝母婴", "Beibei Baby", "kids", "母婴 baby 奶粉 formula 纸尿裤 diapers 婴儿车 stroller"),
    t("童画绘本馆", "Picture Book House", "kids", "绘本 picture books 儿童书 children's books"),
    t("小星星早教", "Little Star Early Learning", "kids", "早教 early education 亲子"),
    t("云汇音乐教室", "Yunhui Music School", "kids", "音乐 music 钢琴 piano 培训 lessons"),
    t("泡泡玛特", "POP MART", "entertainment", "潮玩 designer toys 盲盒 blind box 手办", 80),
    t("童趣乐园", "Fun Kids Playland", "kids", "游乐 playground 儿童乐园 亲子 family"),
    t("小小剪", "Little Cuts", "services", "儿童理发 kids haircut 理发"),
    t("木语家具", "Muyu Furniture", "home", "家具 furniture 沙发 sofa 实木"),
    t("暖居床品", "Nuanju Bedding", "home", "床品 bedding 四件套 被子 duvet"),
    t("瓷韵餐具", "Ciyun Tableware", "home", "餐具 tableware 陶瓷 ceramics 碗 盘"),
    t("绿植生活", "Green Living", "home", "绿植 plants 花盆 pots 园艺 gardening"),
    t("香薰小屋", "Aroma Cottage", "home", "香薰 aroma 蜡烛 candles 精油 essential oils"),
    t("厨房好物", "Kitchen Goods", "home", "厨具 cookware 锅 pots 刀具 knives"),
    t("极客数码", "Geek Digital", "electronics", "数码配件 accessories 充电器 charger 耳机"),
    t("声学工坊", "Acoustic Lab", "electronics", "耳机 headphones 音响 speakers 音箱"),
    t("联想", "Lenovo", "electronics", "电脑 computer 笔记本 laptop", 70),
    t("游戏星球", "Game Planet", "electronics", "游戏机 consoles 游戏 games, Switch, PlayStation"),
    t("甜品站", "Dessert Station", "food", "甜品 dessert 冰淇淋 ice cream 蛋糕 cake"),
    t("球迷商店", "Fan Shop", "sports", "球衣 jerseys 足球 football 篮球 basketball"),
    t("晨光文具", "M&G Stationery", "home", "文具 stationery 笔 pens 本子 notebooks", 60),
]

CINEMA = t(
    "云汇影城",
    "Yunhui Cinema",
    "entertainment",
    "电影 movies, cinema 影院 IMAX 电影票 tickets",
    85,
    hours="Mo-Su 10:00-24:00",
)

TENANTS_4F = [
    r("海底捞", "Haidilao", "火锅 hotpot 川菜 Sichuan", 95),
    r("外婆家", "Grandma's Home", "杭帮菜 Hangzhou cuisine 家常菜 中餐", 80),
    r("西贝莜面村", "Xibei", "西北菜 Northwestern cuisine 莜面 羊肉 lamb", 78),
    t("云汇电玩城", "Yunhui Arcade", "entertainment", "电玩 arcade 游戏 抓娃娃 claw machine", 65),
    t("肯德基", "KFC", "food", "炸鸡 fried chicken 汉堡 burgers 快餐 fast food", 90),
    r("必胜客", "Pizza Hut", "披萨 pizza 意面 pasta 西餐", 80),
    r("鼎泰丰", "Din Tai Fung", "小笼包 xiaolongbao, soup dumplings 台湾菜", 85),
    r("重庆老火锅", "Chongqing Old Hotpot", "火锅 hotpot 麻辣 spicy 毛肚"),
    r("川味小馆", "Sichuan Bistro", "川菜 Sichuan 麻辣 spicy 水煮鱼"),
    r("粤式茶餐厅", "Canton Tea House", "粤菜 Cantonese 早茶 dim sum 点心 烧腊"),
    r("一番拉面", "Ichiban Ramen", "拉面 ramen 日料 Japanese"),
    r("首尔烤肉", "Seoul BBQ", "烤肉 barbecue 韩餐 Korean"),
    r("泰香米", "Thai Fragrance", "泰国菜 Thai 冬阴功 tom yum 咖喱 curry"),
    r("意面工坊", "Pasta Workshop", "意面 pasta 西餐 Western"),
    r("牛排屋", "The Steak House", "牛排 steak 西餐 Western"),
    r("寿司之家", "Sushi House", "寿司 sushi 日料 Japanese 刺身 sashimi"),
    r("湘里人家", "Xiangli Hunan Kitchen", "湘菜 Hunan 辣 spicy 剁椒鱼头"),
    r("云南米线", "Yunnan Rice Noodles", "米线 rice noodles 过桥米线 云南菜"),
    r("京味烤鸭", "Peking Duck House", "烤鸭 roast duck 北京菜"),
    r("新疆大盘鸡", "Xinjiang Big Plate Chicken", "大盘鸡 新疆菜 Xinjiang 羊肉串 kebab"),
    r("东北饺子馆", "Dongbei Dumplings", "饺子 dumplings 东北菜"),
    r("素心斋", "Veggie Garden", "素食 vegetarian 健康 healthy"),
    t("奈雪的茶", "Nayuki", "food", "茶饮 tea 奶茶 milk tea 欧包 bread", 75),
    r("绿茶餐厅", "Green Tea Restaurant", "杭帮菜 中餐 Chinese", 70),
    t("云汇星空KTV", "Starry KTV", "entertainment", "KTV 唱歌 karaoke", hours="Mo-Su 12:00-24:00"),
    t("谜境密室", "Mijing Escape Room", "entertainment", "密室逃脱 escape room 解谜 puzzles"),
    t("骰子桌游", "Dice Board Games", "entertainment", "桌游 board games 剧本杀 murder mystery"),
    t("幻境VR体验馆", "Mirage VR", "entertainment", "VR 虚拟现实 virtual reality 游戏 games"),
    t("云汇健身", "Yunhui Fitness", "sports", "健身 gym, fitness", 50, hours="Mo-Su 07:00-22:00"),
    t("云汇书店", "Yunhui Books", "entertainment", "书店 books 阅读 reading 咖啡 coffee"),
    t("星光台球", "Starlight Billiards", "entertainment", "台球 billiards, snooker"),
]

SUPERMARKET = t(
    "云汇超市",
    "Yunhui Supermarket",
    "food",
    "超市 supermarket 生鲜 groceries 水果 fruit 蔬菜 vegetables 零食 snacks",
    88,
    hours="Mo-Su 09:00-22:00",
)

FOOD_COURT = [
    t("重庆小面", "Chongqing Noodles", "food", "面 noodles 小面 麻辣 spicy", 70),
    t("长沙臭豆腐", "Changsha Stinky Tofu", "food", "臭豆腐 stinky tofu 小吃 snacks 湖南", 60),
    t("兰州牛肉面", "Lanzhou Beef Noodles", "food", "牛肉面 beef noodles 拉面 清真 halal", 65),
    t("沙县小吃", "Shaxian Snacks", "food", "小吃 snacks 馄饨 wonton 拌面", 55),
    t("天津煎饼果子", "Tianjin Jianbing", "food", "煎饼 jianbing 早餐 breakfast"),
    t("川香麻辣烫", "Chuanxiang Malatang", "food", "麻辣烫 malatang 麻辣 spicy"),
    t("黄焖鸡米饭", "Braised Chicken Rice", "food", "黄焖鸡 米饭 rice 快餐"),
    t("粤式肠粉", "Cantonese Rice Rolls", "food", "肠粉 rice rolls 广东 早餐"),
    t("上海生煎", "Shanghai Shengjian", "food", "生煎 pan-fried buns 小笼 上海"),
    t("重庆酸辣粉", "Chongqing Hot & Sour Noodles", "food", "酸辣粉 hot and sour 粉 noodles"),
    t("台湾卤肉饭", "Taiwanese Braised Pork Rice", "food", "卤肉饭 braised pork rice 台湾"),
    t("鲜榨果汁站", "Fresh Juice Bar", "food", "果汁 juice 鲜榨 水果 fruit"),
]

TENANTS_B1 = [
    t("麦当劳", "McDonald's", "food", "汉堡 burgers 薯条 fries 快餐 fast food 早餐", 95),
    t("名创优品", "MINISO", "home", "生活百货 lifestyle 日用品 小商品 玩偶", 80),
    t("屈臣氏", "Watsons", "beauty", "个护 personal care 药妆 drugstore 化妆品 面膜", 85),
    t("康健大药房", "Kangjian Pharmacy", "services", "药店 pharmacy 药 medicine 药房 保健品", 60),
    t("招商银行", "China Merchants Bank", "services", "银行 bank, ATM 理财", 65, hours=BANK_HOURS),
    t("快修配钥匙", "Quick Key & Shoe Repair", "services", "配钥匙 key cutting 修鞋 shoe repair"),
    t("洁净洗衣", "Clean Laundry", "services", "洗衣 laundry 干洗 dry cleaning"),
    t("极速手机维修", "Rapid Phone Repair", "services", "手机维修 phone repair 换屏 screen 电池"),
    t("中国移动", "China Mobile", "services", "营业厅 话费 phone plan SIM卡 宽带 broadband", 55),
    t("菜鸟驿站", "Cainiao Parcel Station", "services", "快递 parcels 取件 寄件 courier", 50),
    t("面包新语", "BreadTalk", "food", "面包 bread 蛋糕 cake 烘焙 bakery", 65),
    t("全家便利店", "FamilyMart", "food", "便利店 convenience store 饮料 drinks 便当", 70),
    t("蜜雪冰城", "MIXUE", "food", "奶茶 milk tea 冰淇淋 ice cream 柠檬水 lemonade", 80),
    t("周黑鸭", "Zhou Hei Ya", "food", "鸭脖 duck neck 卤味 braised snacks 零食", 68),
    t("指尖美甲", "Fingertip Nails", "beauty", "美甲 nails, manicure 美睫 eyelashes"),
    t("足道养生", "Zudao Foot Spa", "beauty", "足疗 foot massage 按摩 massage 养生"),
    t("萌宠之家", "Pet Home", "home", "宠物 pets 猫粮 cat food 狗粮 dog food 宠物用品"),
    t("云汇照相馆", "Yunhui Photo Studio", "services", "证件照 ID photos 照相 photography 冲印"),
    t("十分快剪", "Ten-Minute Cuts", "services", "快剪 quick haircut 理发 haircut"),
    t("百果园", "Pagoda Fruit", "food", "水果 fruit 果切 fruit cups", 66),
    t("良品铺子", "BESTORE", "food", "零食 snacks 坚果 nuts 肉脯", 65),
    t("时间修表", "Timekeeper Watch Repair", "services", "修表 watch repair 换电池 battery"),
    t("生活家百货", "Living Home Store", "home", "日用品 household 收纳 storage 清洁 cleaning"),
    t("彩虹文具", "Rainbow Stationery", "home", "文具 stationery 学习用品 school supplies"),
    t("中国电信", "China Telecom", "services", "营业厅 话费 宽带 broadband SIM卡", 50),
    t("茶百道", "ChaPanda", "food", "奶茶 milk tea 果茶 fruit tea", 72),
]

TENANTS_B2 = {
    "car_wash": t(
        "云汇洗车",
        "Yunhui Car Wash",
        "services",
        "洗车 car wash 汽车美容 car detailing 打蜡 waxing",
        40,
        hours="Mo-Su 09:00-21:00",
    ),
    "ev": t(
        "云汇新能源充电站",
        "Yunhui EV Charging",
        "services",
        "充电 charging 充电桩 charger 新能源 electric vehicle, EV 电动车",
        45,
        hours="Mo-Su 00:00-24:00",
    ),
}

PROMOTIONS = [
    ("starbucks", "Starbucks", "星巴克 第二杯半价", "Starbucks: second cup half price",
     "任意手工调制饮品，第二杯半价。", "Any handcrafted drink: the second cup is half price."),
    ("uniqlo", "UNIQLO", "优衣库 会员日满299减50", "UNIQLO member day: ¥50 off ¥299",
     "每月最后一个周五，会员消费满299元立减50元。",
     "Last Friday of every month: members get ¥50 off a ¥299 spend."),
    ("haidilao", "Haidilao", "海底捞 工作日午市88折", "Haidilao: 12% off weekday lunch",
     "周一至周五11:00-14:00堂食88折。", "Monday to Friday, 11:00-14:00: 12% off dine-in."),
    ("cinema", "Yunhui Cinema", "云汇影城 周二半价日", "Yunhui Cinema: half-price Tuesdays",
     "每周二全天2D影片半价。", "Every Tuesday: half price on all 2D screenings."),
    ("lego", "LEGO", "乐高 周六拼搭工作坊", "LEGO: Saturday building workshop",
     "每周六14:00，儿童免费参加拼搭活动。",
     "Every Saturday at 14:00: free building workshop for children."),
    ("nike", "Nike", "耐克 跑鞋季 第二双8折", "Nike running season: 20% off a second pair",
     "购买任意跑鞋，第二双享8折。", "Buy any running shoes and get 20% off a second pair."),
    ("heytea", "HEYTEA", "喜茶 新品买一送一", "HEYTEA: buy one, get one free on new drinks",
     "新品饮品买一送一，每日前100杯。",
     "New drinks are buy one, get one free for the first 100 cups each day."),
    ("mcdonalds", "McDonald's", "麦当劳 早餐12元起", "McDonald's: breakfast from ¥12",
     "每天7:00-10:30，超值早餐12元起。", "Daily 7:00-10:30: value breakfast from ¥12."),
    ("points", None, "周末会员积分双倍", "Double member points at weekends",
     "周六、周日全场消费积分双倍。", "Saturdays and Sundays: double points on every purchase."),
    ("parking", None, "停车前2小时免费", "First 2 hours of parking free",
     "当日消费满200元，停车前2小时免费。",
     "Spend ¥200 on the day and the first 2 hours of parking are free."),
]  # fmt: skip


# --- layout -------------------------------------------------------------------------------------

LEVELS = [
    # short, ordinal, zh, en, category
    ("B2", -2, "地下二层 停车场", "Basement 2 Parking", "parking"),
    ("B1", -1, "地下一层 美食超市", "Basement 1 Food & Market", "unspecified"),
    ("1F", 0, "一层 美妆名品", "Level 1 Beauty & Luxury", "unspecified"),
    ("2F", 1, "二层 时尚服饰", "Level 2 Fashion", "unspecified"),
    ("3F", 2, "三层 亲子运动家居", "Level 3 Kids, Sports & Home", "unspecified"),
    ("4F", 3, "四层 餐饮影院", "Level 4 Dining & Cinema", "unspecified"),
]

# A loop of corridors around two inner blocks with a central atrium, split into rectangles that
# share whole edges with their neighbours.
WALKWAYS = {
    "sw": Rect(20, 24, 30, 34),
    "s-west": Rect(30, 24, 80, 34),
    "s-center": Rect(80, 24, 100, 34),
    "s-east": Rect(100, 24, 150, 34),
    "se": Rect(150, 24, 160, 34),
    "nw": Rect(20, 76, 30, 86),
    "n-west": Rect(30, 76, 80, 86),
    "n-center": Rect(80, 76, 100, 86),
    "n-east": Rect(100, 76, 150, 86),
    "ne": Rect(150, 76, 160, 86),
    "west": Rect(20, 34, 30, 76),
    "east": Rect(150, 34, 160, 76),
    "atrium": Rect(80, 34, 100, 76),
}

# Vertical cores and facilities at the same place on every level: key -> (rect, door side).
CORES: dict[str, tuple[Rect, str]] = {
    "restroom-w": (Rect(0, 34, 20, 44), "E"),
    "restroom-acc": (Rect(0, 44, 20, 50), "E"),
    "mothersroom": (Rect(0, 50, 20, 56), "E"),
    "elevator-w": (Rect(0, 56, 20, 66), "E"),
    "stairs-w": (Rect(0, 66, 20, 76), "E"),
    "stairs-e": (Rect(160, 34, 180, 46), "W"),
    "elevator-e": (Rect(160, 46, 180, 56), "W"),
    "restroom-e": (Rect(160, 56, 180, 66), "W"),
    "escalator-w": (Rect(64, 49, 80, 61), "E"),
    "escalator-e": (Rect(100, 49, 116, 61), "W"),
}

CORE_INFO: dict[str, tuple[str, str, str, str, tuple[str, ...]]] = {
    # key: unit category, amenity category, zh, en, accessibility
    "restroom-w": ("restroom", "restroom", "西侧洗手间", "West Restrooms", ()),
    "restroom-acc": (
        "restroom.unisex.wheelchair",
        "restroom.unisex.wheelchair",
        "无障碍洗手间",
        "Accessible Restroom",
        ("wheelchair",),
    ),
    "mothersroom": ("mothersroom", "mothersroom", "母婴室", "Nursing Room", ()),
    "elevator-w": ("elevator", "elevator", "西侧电梯", "West Elevators", ("wheelchair",)),
    "stairs-w": ("stairs", "stairs", "西侧楼梯", "West Stairs", ()),
    "stairs-e": ("stairs", "stairs", "东侧楼梯", "East Stairs", ()),
    "elevator-e": ("elevator", "elevator", "东侧电梯", "East Elevators", ("wheelchair",)),
    "restroom-e": ("restroom", "restroom", "东侧洗手间", "East Restrooms", ()),
    "escalator-w": ("escalator", "escalator", "西侧扶梯", "West Escalators", ()),
    "escalator-e": ("escalator", "escalator", "东侧扶梯", "East Escalators", ()),
}

ROW_CUTS = [20, 34, 48, 64, 80, 100, 116, 132, 146, 160]


def shop_slots() -> dict[str, tuple[Rect, str]]:
    """Shop spaces on a retail level in the order tenants fill them: key -> (rect, door side)."""
    slots: dict[str, tuple[Rect, str]] = {
        "anchor-sw": (Rect(0, 0, 20, 34), "E"),
        "anchor-nw": (Rect(0, 76, 20, 110), "E"),
        "anchor-se": (Rect(160, 0, 180, 34), "W"),
        "anchor-ne": (Rect(160, 76, 180, 110), "W"),
    }
    for i, (x0, x1) in enumerate(itertools.pairwise(ROW_CUTS), start=1):
        slots[f"s{i}"] = (Rect(x0, 0, x1, 24), "N")
    for i, (x0, x1) in enumerate(itertools.pairwise(ROW_CUTS), start=1):
        slots[f"n{i}"] = (Rect(x0, 86, x1, 110), "S")
    slots["e-small"] = (Rect(160, 66, 180, 76), "W")
    inner = {
        "is1": (Rect(30, 34, 47, 55), "S"),
        "is2": (Rect(47, 34, 64, 55), "S"),
        "is3": (Rect(64, 34, 80, 49), "S"),
        "is4": (Rect(100, 34, 116, 49), "S"),
        "is5": (Rect(116, 34, 133, 55), "S"),
        "is6": (Rect(133, 34, 150, 55), "S"),
        "in1": (Rect(30, 55, 47, 76), "N"),
        "in2": (Rect(47, 55, 64, 76), "N"),
        "in3": (Rect(64, 61, 80, 76), "N"),
        "in4": (Rect(100, 61, 116, 76), "N"),
        "in5": (Rect(116, 55, 133, 76), "N"),
        "in6": (Rect(133, 55, 150, 76), "N"),
    }
    slots.update(inner)
    return slots


def merged(*rects: Rect) -> Rect:
    return Rect(
        min(r.x0 for r in rects),
        min(r.y0 for r in rects),
        max(r.x1 for r in rects),
        max(r.y1 for r in rects),
    )


def edge(rect: Rect, side: str) -> tuple[str, float, float, float]:
    """The side of `rect` as (axis, position, start, end)."""
    return {
        "N": ("y", rect.y1, rect.x0, rect.x1),
        "S": ("y", rect.y0, rect.x0, rect.x1),
        "E": ("x", rect.x1, rect.y0, rect.y1),
        "W": ("x", rect.x0, rect.y0, rect.y1),
    }[side]


OPPOSITE = {"N": "S", "S": "N", "E": "W", "W": "E"}


def door_line(rect: Rect, side: str, width: float) -> tuple[str, list[tuple[float, float]]]:
    """A door on `side` of `rect` in the middle of its longest shared edge with a walkway."""
    axis, pos, a0, a1 = edge(rect, side)
    best: tuple[float, float, str] | None = None
    for key, walk in WALKWAYS.items():
        w_axis, w_pos, b0, b1 = edge(walk, OPPOSITE[side])
        lo, hi = max(a0, b0), min(a1, b1)
        if w_axis != axis or w_pos != pos or hi <= lo:
            continue
        if best is None or hi - lo > best[1] - best[0]:
            best = (lo, hi, key)
    if best is None:
        raise AssertionError(f"{rect} has no walkway on its {side} side")
    lo, hi, key = best
    half = min(width, hi - lo - 1) / 2
    mid = (lo + hi) / 2
    if axis == "y":
        return key, [(mid - half, pos), (mid + half, pos)]
    return key, [(pos, mid - half), (pos, mid + half)]


# --- features -----------------------------------------------------------------------------------


class Mall:
    def __init__(self) -> None:
        self.files: dict[str, list[Json]] = {
            k: []
            for k in (
                "address", "venue", "building", "footprint", "level", "unit", "opening",
                "amenity", "anchor", "occupant", "kiosk",
            )
        }  # fmt: skip
        self.rng = random.Random(2026)
        self.phones: set[str] = set()
        self.occupant_ids: dict[str, str] = {}

    def add(self, feature_type: str, fid: str, geometry: Json | None, props: Json) -> str:
        self.files[feature_type].append(
            {
                "feature_type": feature_type,
                "geometry": geometry,
                "id": fid,
                "properties": props,
                "type": "Feature",
            }
        )
        return fid

    def phone(self) -> str:
        while True:
            number = f"021-6{self.rng.randint(100, 999)} {self.rng.randint(0, 9999):04d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def unit(
        self,
        level: str,
        key: str,
        rect: Rect,
        category: str,
        name: tuple[str, str] | None = None,
        *,
        accessibility: tuple[str, ...] = (),
    ) -> str:
        return self.add(
            "unit",
            uid("unit", f"{level}/{key}"),
            rect.polygon(),
            {
                "accessibility": list(accessibility) or None,
                "alt_name": None,
                "category": category,
                "display_point": point_geom(*rect.center),
                "level_id": uid("level", level),
                "name": labels(*name) if name else None,
                "restriction": None,
            },
        )

    def opening(self, level: str, key: str, line: list[tuple[float, float]], category: str) -> str:
        return self.add(
            "opening",
            uid("opening", f"{level}/{key}"),
            {"type": "LineString", "coordinates": [lonlat(x, y) for x, y in line]},
            {
                "access_control": None,
                "accessibility": None,
                "alt_name": None,
                "category": category,
                "display_point": None,
                "door": None,
                "level_id": uid("level", level),
                "name": None,
            },
        )

    def door(
        self,
        level: str,
        key: str,
        rect: Rect,
        side: str,
        *,
        width: float = 3.0,
        category: str = "pedestrian",
    ) -> None:
        _, line = door_line(rect, side, width)
        self.opening(level, key, line, category)

    def amenity(
        self,
        level: str,
        key: str,
        category: str,
        unit_keys: list[str],
        at: tuple[float, float],
        *,
        name: tuple[str, str] | None = None,
        accessibility: tuple[str, ...] = (),
        hours: str | None = None,
        phone: str | None = None,
    ) -> None:
        self.add(
            "amenity",
            uid("amenity", f"{level}/{key}"),
            point_geom(*at),
            {
                "accessibility": list(accessibility) or None,
                "address_id": None,
                "alt_name": None,
                "category": category,
                "correlation_id": None,
                "hours": hours,
                "name": labels(*name) if name else None,
                "phone": phone,
                "unit_ids": [uid("unit", f"{level}/{k}") for k in unit_keys],
                "website": None,
            },
        )

    def occupant(self, level: str, unit_key: str, at: tuple[float, float], tenant: Tenant) -> None:
        if tenant.en in self.occupant_ids:
            raise AssertionError(f"two tenants are called {tenant.en}")
        anchor_id = self.add(
            "anchor",
            uid("anchor", tenant.en),
            point_geom(*at),
            {"address_id": None, "unit_id": uid("unit", f"{level}/{unit_key}")},
        )
        ext: Json = {
            "keywords": keyword_list(tenant.keywords),
            "popularity": tenant.popularity
            if tenant.popularity is not None
            else self.rng.randint(20, 60),
        }
        if tenant.pinyin:
            ext["pinyin"] = tenant.pinyin
        self.occupant_ids[tenant.en] = self.add(
            "occupant",
            uid("occupant", tenant.en),
            None,
            {
                "anchor_id": anchor_id,
                "category": tenant.category,
                "correlation_id": None,
                "ext": ext,
                "hours": tenant.hours or MALL_HOURS,
                "name": labels(tenant.zh, tenant.en),
                "phone": self.phone(),
                "validity": None,
                "website": None,
            },
        )

    # --- the building ---------------------------------------------------------------------------

    def build(self) -> None:
        address_id = uid("address", "yunhui-plaza")
        building_id = uid("building", "yunhui-plaza")
        self.add(
            "address",
            address_id,
            None,
            {
                "address": "云汇路88号",
                "country": "CN",
                "locality": "上海市",
                "postal_code": "200001",
                "postal_code_ext": None,
                "postal_code_vanity": None,
                "province": "CN-SH",
                "unit": None,
            },
        )
        self.add(
            "venue",
            uid("venue", "yunhui-plaza"),
            Rect(-10, -15, WIDTH + 10, DEPTH + 12).polygon(),
            {
                "address_id": address_id,
                "alt_name": None,
                "category": "shoppingcenter",
                "display_point": point_geom(*FOOTPRINT.center),
                "hours": MALL_HOURS,
                "name": labels("云汇广场", "Yunhui Plaza"),
                "phone": MALL_PHONE,
                "restriction": None,
                "website": "https://yunhui-plaza.example",
            },
        )
        self.add(
            "building",
            building_id,
            None,
            {
                "address_id": address_id,
                "alt_name": None,
                "category": "unspecified",
                "display_point": point_geom(*FOOTPRINT.center),
                "name": labels("云汇广场", "Yunhui Plaza"),
                "restriction": None,
            },
        )
        self.add(
            "footprint",
            uid("footprint", "ground"),
            FOOTPRINT.polygon(),
            {"building_ids": [building_id], "category": "ground", "name": None},
        )
        for short, ordinal, zh, en, category in LEVELS:
            self.add(
                "level",
                uid("level", short),
                FOOTPRINT.polygon(),
                {
                    "address_id": None,
                    "building_ids": [building_id],
                    "category": category,
                    "display_point": point_geom(*FOOTPRINT.center),
                    "name": labels(zh, en),
                    "ordinal": ordinal,
                    "outdoor": False,
                    "restriction": None,
                    "short_name": labels(short, short),
                },
            )
            self.walkways_and_cores(short)
        self.parking_level()
        self.retail_level("B1", TENANTS_B1)
        self.retail_level("1F", TENANTS_1F)
        self.retail_level("2F", TENANTS_2F)
        self.retail_level("3F", TENANTS_3F)
        self.retail_level("4F", TENANTS_4F)
        self.kiosk("K01", "1F", (90, 20), ("一层南门服务机", "1F South Entrance Kiosk"))
        self.kiosk("K02", "3F", (90, 38), ("三层中庭服务机", "3F Atrium Kiosk"))

    def walkways_and_cores(self, level: str) -> None:
        for key, rect in WALKWAYS.items():
            name = None
            if key == "atrium":
                name = ("扶梯厅", "Escalator Hall") if level == "B2" else ("中庭", "Atrium")
            self.unit(level, f"walk-{key}", rect, "walkway", name)
        for key, (rect, side) in CORES.items():
            unit_cat, amenity_cat, zh, en, access = CORE_INFO[key]
            if key == "mothersroom" and level == "B2":
                self.unit(level, key, rect, "nonpublic", ("设备间", "Plant Room"))
                continue
            self.unit(level, key, rect, unit_cat, (zh, en), accessibility=access)
            self.door(level, key, rect, side, width=2.0 if rect.y1 - rect.y0 <= 6 else 3.0)
            self.amenity(
                level, key, amenity_cat, [key], rect.center, name=(zh, en), accessibility=access
            )

    def shop(self, level: str, key: str, rect: Rect, side: str, tenant: Tenant) -> None:
        width = 6.0 if (rect.x1 - rect.x0) * (rect.y1 - rect.y0) > 600 else 3.0
        self.unit(level, key, rect, "room")
        self.door(level, key, rect, side, width=width)
        self.occupant(level, key, rect.center, tenant)

    def entrance(
        self, level: str, key: str, rect: Rect, outer_y: float, name: tuple[str, str]
    ) -> None:
        self.unit(level, key, rect, "walkway", name)
        self.opening(level, key, [(84, outer_y), (96, outer_y)], "pedestrian.principal")
        inside = (90, outer_y + 3 if outer_y == 0 else outer_y - 3)
        self.amenity(level, key, "entry", [key], inside, name=name)

    def retail_level(self, level: str, tenants: list[Tenant]) -> None:
        slots = shop_slots()
        anchors, others = tenants[:4], iter(tenants[4:])
        if level == "1F":
            self.entrance(level, "s5", slots.pop("s5")[0], 0, ("南门", "South Entrance"))
            self.entrance(level, "n5", slots.pop("n5")[0], DEPTH, ("北门", "North Entrance"))
            self.amenity(
                level, "information", "information", ["walk-atrium"], (90, 66),
                name=("服务台", "Service Desk"), hours=MALL_HOURS, phone=MALL_PHONE,
            )  # fmt: skip
            self.amenity(level, "atm", "atm", ["walk-east"], (155, 40), name=("自助银行", "ATM"))
        if level == "B1":
            self.entrance(level, "n5", slots.pop("n5")[0], DEPTH, ("地铁通道", "Metro Link"))
            market = merged(*(slots.pop(k)[0] for k in ("s6", "s7", "s8", "s9")))
            self.shop(level, "supermarket", market, "N", SUPERMARKET)
            court = merged(*(slots.pop(k)[0] for k in ("n1", "n2", "n3", "n4")))
            self.unit(level, "food-court", court, "room", ("美食广场", "Food Court"))
            self.door(level, "food-court", court, "S", width=6.0)
            stalls = [(25 + 7 * i, 107) for i in range(8)]
            stalls += [(23, 92), (23, 99), (77, 92), (77, 99)]
            for at, tenant in zip(stalls, FOOD_COURT, strict=True):
                self.occupant(level, "food-court", at, tenant)
            self.amenity(level, "atm", "atm", ["walk-sw"], (27, 29), name=("自助银行", "ATM"))
        if level == "4F":
            cinema = merged(*(slots.pop(k)[0] for k in ("n6", "n7", "n8", "n9")))
            self.shop(level, "cinema", cinema, "S", CINEMA)
        for key in ("anchor-sw", "anchor-nw", "anchor-se", "anchor-ne"):
            rect, side = slots.pop(key)
            self.shop(level, key, rect, side, anchors.pop(0))
        for key, (rect, side) in slots.items():
            found = next(others, None)
            if found is None:
                raise AssertionError(f"{level}: no tenant left for {key}")
            self.shop(level, key, rect, side, found)
        left = list(others)
        if left:
            raise AssertionError(f"{level}: no space for {[x.en for x in left]}")

    def parking_level(self) -> None:
        level = "B2"
        slots = shop_slots()
        ramp_in, _ = slots.pop("s1")
        self.unit(level, "ramp-in", ramp_in, "ramp", ("入口坡道", "Entry Ramp"))
        self.opening(level, "ramp-in-street", [(22, 0), (32, 0)], "automobile")
        self.door(level, "ramp-in", ramp_in, "N", width=8.0, category="automobile")
        ramp_out, _ = slots.pop("n9")
        self.unit(level, "ramp-out", ramp_out, "ramp", ("出口坡道", "Exit Ramp"))
        self.opening(level, "ramp-out-street", [(148, DEPTH), (158, DEPTH)], "automobile")
        self.door(level, "ramp-out", ramp_out, "S", width=8.0, category="automobile")
        rect, side = slots.pop("e-small")
        self.shop(level, "car-wash", rect, side, TENANTS_B2["car_wash"])
        zones: dict[str, list[str]] = {"A": [], "B": [], "C": [], "D": []}
        for key, (rect, side) in slots.items():
            if key.startswith(("s", "anchor-s")):
                zone = "A"
            elif key.startswith(("n", "anchor-n")):
                zone = "B"
            else:
                zone = "C" if rect.x1 <= 80 else "D"
            number = len(zones[zone]) + 1
            name = (f"{zone}区 {zone}{number}", f"Zone {zone} {zone}{number}")
            if key == "is1":
                name = ("新能源充电区", "EV Charging Bays")
            self.unit(level, key, rect, "parking", name)
            self.door(level, key, rect, side, width=4.0)
            zones[zone].append(key)
        self.occupant(level, "is1", slots["is1"][0].center, TENANTS_B2["ev"])
        for zone, keys in zones.items():
            self.amenity(
                level, f"parking-{zone}", "parking", keys, slots[keys[0]][0].center,
                name=(f"停车场 {zone}区", f"Parking Zone {zone}"),
            )  # fmt: skip

    def kiosk(self, code: str, level: str, at: tuple[float, float], name: tuple[str, str]) -> None:
        x, y = at
        self.add(
            "kiosk",
            uid("kiosk", code),
            Rect(x - 0.4, y - 0.25, x + 0.4, y + 0.25).polygon(),
            {
                "alt_name": None,
                "anchor_id": None,
                "display_point": point_geom(x, y),
                "ext": {"code": code, "heading_deg": 0},
                "level_id": uid("level", level),
                "name": labels(*name),
            },
        )

    def promotions(self) -> list[Json]:
        return [
            {
                "body": labels(body_zh, body_en),
                "ends": "2027-12-31",
                "id": uid("promotion", key),
                "occupant_id": self.occupant_ids[store] if store else None,
                "starts": "2026-01-01",
                "title": labels(title_zh, title_en),
            }
            for key, store, title_zh, title_en, body_zh, body_en in PROMOTIONS
        ]


def dumps(doc: object) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def generate() -> dict[str, bytes]:
    """File name -> bytes of the whole demo archive."""
    mall = Mall()
    mall.build()
    out = {
        "manifest.json": dumps(
            {
                "created": "2026-01-01T00:00:00Z",
                "generated_by": "MallKiosk tools/gen_demo_mall.py",
                "language": "zh-Hans",
                "version": "1.0.0",
            }
        ),
        "promotions.json": dumps(mall.promotions()),
    }
    for feature_type, features in mall.files.items():
        out[f"{feature_type}.geojson"] = dumps({"features": features, "type": "FeatureCollection"})
    return out


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, blob in sorted(generate().items()):
        (out_dir / name).write_bytes(blob)
        print(f"{len(blob):>9,d}  {out_dir / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
