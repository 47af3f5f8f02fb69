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
    <name>Main</name>
    <message>
        <source>Accessibility mode is on. All buttons are in the lower half of the screen, text is larger and you have more time.</source>
        <translation>无障碍模式已开启：所有按钮位于屏幕下半部分，文字更大，操作时间更长。</translation>
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
</TS>
