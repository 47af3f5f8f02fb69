<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AttractScreen</name>
    <message>
        <source>Today at the mall</source>
        <translation>今日推荐</translation>
    </message>
</context>
<context>
    <name>BottomBar</name>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>首页</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <source>Welcome! How can we help you?</source>
        <translation>欢迎光临！请问需要什么帮助？</translation>
    </message>
    <message>
        <source>Find a store</source>
        <translation>找店导航</translation>
    </message>
    <message>
        <source>Stores, restaurants, restrooms and routes</source>
        <translation>店铺、餐厅、洗手间与路线</translation>
    </message>
    <message>
        <source>Member card</source>
        <translation>会员查询</translation>
    </message>
    <message>
        <source>Points, tier and coupons</source>
        <translation>积分、等级与优惠券</translation>
    </message>
    <message>
        <source>Return request</source>
        <translation>退换货申请</translation>
    </message>
    <message>
        <source>Returns, exchanges and repairs</source>
        <translation>退货、换货与维修</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉建议</translation>
    </message>
    <message>
        <source>Complaints and suggestions</source>
        <translation>投诉、建议与表扬</translation>
    </message>
    <message>
        <source>Need a person? The service desk is on 1F by the main entrance.</source>
        <translation>需要人工帮助？服务台位于1F正门旁。</translation>
    </message>
</context>
<context>
    <name>IdleDialog</name>
    <message>
        <source>Are you still there?</source>
        <translation>您还在吗？</translation>
    </message>
    <message>
        <source>For your privacy this session will end and your information will be cleared.</source>
        <translation>为保护您的隐私，本次使用即将结束，您的信息将被清除。</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续使用</translation>
    </message>
</context>
<context>
    <name>LevelMap</name>
    <message>
        <source>You are here</source>
        <translation>您在这里</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Accessibility mode is on. All buttons are in the lower half of the screen, text is larger and you have more time.</source>
        <translation>无障碍模式已开启：所有按钮位于屏幕下半部分，文字更大，操作时间更长。</translation>
    </message>
</context>
<context>
    <name>PlaceScreen</name>
    <message>
        <source>Floor %1</source>
        <translation>楼层 %1</translation>
    </message>
    <message>
        <source>Unit %1</source>
        <translation>铺位 %1</translation>
    </message>
    <message>
        <source>Phone %1</source>
        <translation>电话 %1</translation>
    </message>
    <message>
        <source>Take me there</source>
        <translation>带我去</translation>
    </message>
</context>
<context>
    <name>PlaceholderScreen</name>
    <message>
        <source>Find a store</source>
        <translation>找店导航</translation>
    </message>
    <message>
        <source>Member card</source>
        <translation>会员查询</translation>
    </message>
    <message>
        <source>Return request</source>
        <translation>退换货申请</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉建议</translation>
    </message>
    <message>
        <source>This service is coming soon. Please visit the service desk on 1F for help.</source>
        <translation>该服务即将上线，如需帮助请前往1F服务台。</translation>
    </message>
</context>
<context>
    <name>RouteScreen</name>
    <message>
        <source>To %1</source>
        <translation>前往 %1</translation>
    </message>
    <message>
        <source>Walk</source>
        <translation>步行</translation>
    </message>
    <message>
        <source>Step-free</source>
        <translation>无障碍路线</translation>
    </message>
    <message>
        <source>Scan to take this route with you</source>
        <translation>扫码在手机上查看路线</translation>
    </message>
</context>
<context>
    <name>RouteViewModel</name>
    <message>
        <source>Sorry, there is no step-free route there. Please ask at the service desk.</source>
        <translation>抱歉，没有通往那里的无障碍路线，请到服务台咨询。</translation>
    </message>
    <message>
        <source>Sorry, no route was found. Please ask at the service desk.</source>
        <translation>抱歉，没有找到路线，请到服务台咨询。</translation>
    </message>
    <message>
        <source>Routes are not available right now.</source>
        <translation>路线功能暂时无法使用。</translation>
    </message>
</context>
<context>
    <name>ShellViewModel</name>
    <message>
        <source>Something went wrong. Returning to the home screen.</source>
        <translation>抱歉，出了点问题，正在返回首页。</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <source>Accessible</source>
        <translation>无障碍</translation>
    </message>
    <message>
        <source>Accessibility mode</source>
        <translation>无障碍模式</translation>
    </message>
    <message>
        <source>Switch language</source>
        <translation>切换语言</translation>
    </message>
</context>
<context>
    <name>WayfindingScreen</name>
    <message>
        <source>Search stores, brands, food, restrooms…  (pinyin OK)</source>
        <translation>搜索店铺、品牌、美食、洗手间…（支持拼音）</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>No exact match. Did you mean:</source>
        <translation>没有完全匹配的结果，您是否在找：</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <source>Facilities</source>
        <translation>便民设施</translation>
    </message>
    <message>
        <source>Restrooms</source>
        <translation>洗手间</translation>
    </message>
    <message>
        <source>Nursing room</source>
        <translation>母婴室</translation>
    </message>
    <message>
        <source>Elevators</source>
        <translation>电梯</translation>
    </message>
    <message>
        <source>Service desk</source>
        <translation>服务台</translation>
    </message>
    <message>
        <source>ATM</source>
        <translation>取款机</translation>
    </message>
    <message>
        <source>Exits</source>
        <translation>出入口</translation>
    </message>
    <message>
        <source>Parking</source>
        <translation>停车场</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>业态分类</translation>
    </message>
    <message>
        <source>Floors</source>
        <translation>楼层</translation>
    </message>
</context>
<context>
    <name>WayfindingViewModel</name>
    <message>
        <source>The store directory is not available right now.</source>
        <translation>店铺导览暂时无法使用。</translation>
    </message>
</context>
</TS>
