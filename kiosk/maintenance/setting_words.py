"""The settings of maintenance mode's pages described in Chinese, for staff on site.

The English descriptions are the configuration's own (config/default.toml, `kiosk.config`);
these say the same for the keys the maintenance screen shows (`SECTIONS` of its view model).
A test checks that every key shown there has one.
"""

from __future__ import annotations

__all__ = ["DESCRIPTIONS_ZH"]

DESCRIPTIONS_ZH: dict[str, str] = {
    "sync.server_url": (
        "中心服务地址（http 或 https）；留空则只离线工作，提交内容在待发队列中等待。"
    ),
    "sync.interval_s": "无待发内容时两次同步的间隔秒数，5-3600。",
    "printer.backend": (
        "小票去向：none（不打印）、png 或 pdf（文件，供开发用）、dummy、file、usb、serial、"
        "network 或 cups。"
    ),
    "printer.paper_mm": (
        "纸宽 58 或 80（毫米），即 203 dpi 下 384 或 576 点；打印机型号未给出宽度时使用。"
    ),
    "printer.host": "network：打印机的主机名或 IP 地址。",
    "printer.port": "network：TCP 端口，1-65535。",
    "printer.serial_port": "serial：串口，如 /dev/ttyUSB0。",
    "printer.serial_baudrate": "serial：波特率，1200-921600。",
    "printer.usb_vendor_id": "usb：厂商编号，如 0x0416。",
    "printer.usb_product_id": "usb：产品编号，如 0x5011。",
    "printer.cups_printer": "cups：打印队列名；留空则用 CUPS 默认打印机。",
    "display.language": "每次会话开始时的语言：zh_CN 或 en。",
    "display.accessibility_default": (
        "每次会话都以无障碍模式开始（按钮在屏幕下半部、文字更大、时间更长、路线无台阶）；"
        "适用于轮椅高度的自助机。"
    ),
    "display.rotation": (
        "屏幕反向安装时旋转画面：0、90、180 或 270（显示输出的变换，由自助机的会话在启动时应用）。"
    ),
    "session.idle_timeout_s": "浏览类页面无人触摸多少秒后结束，10-3600。",
    "session.form_idle_timeout_s": "填写类页面无人触摸多少秒后结束，10-3600。",
    "session.member_idle_timeout_s": "会员页面无人触摸多少秒后结束，10-3600。",
    "session.countdown_s": "“您还在吗？”倒计时的秒数，20-120。",
    "session.accessible_timeout_factor": "无障碍模式下无操作时限乘以此倍数，1.0-5.0。",
    "maintenance.idle_timeout_s": "维护模式无人触摸多少秒后自动关闭，30-3600。",
}
